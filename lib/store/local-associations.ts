import type { ObjectType } from '../crm/types'
import type { Db } from './db'

export interface LocalAssociations {
  /** The remote id of the record's company, null when it has none or the company is not in the CRM yet. */
  companyRemoteId: string | null
  /** Deals only: remote ids of the deal's contacts that are in the CRM. */
  contactRemoteIds?: string[]
}

/** What the app's tables associate the given records with, in the CRM's ids (for the push). */
export async function loadLocalAssociations(db: Db, tenantId: string, connectionId: string, type: ObjectType, localIds: string[]): Promise<Map<string, LocalAssociations>> {
  const out = new Map<string, LocalAssociations>()
  if (type === 'company' || localIds.length === 0) return out
  const table = type === 'contact' ? 'contacts' : 'deals'
  const rows = await db.unsafe(
    `select t.id, cl.remote_id as company_remote_id
       from public.${table} t
       left join public.crm_links cl on cl.connection_id = $2 and cl.object_type = 'company' and cl.local_id = t.company_id and cl.archived_at is null
      where t.tenant_id = $1 and t.id = any($3::uuid[])`,
    [tenantId, connectionId, localIds],
  )
  for (const r of rows) out.set(r.id, { companyRemoteId: r.company_remote_id ?? null, ...(type === 'deal' ? { contactRemoteIds: [] } : {}) })
  if (type === 'deal') {
    const contacts = await db`
      select dc.deal_id, l.remote_id from deal_contacts dc
        join crm_links l on l.connection_id = ${connectionId} and l.object_type = 'contact' and l.local_id = dc.contact_id and l.archived_at is null
       where dc.tenant_id = ${tenantId} and dc.deal_id = any(${localIds}::uuid[])`
    for (const c of contacts) out.get(c.deal_id)?.contactRemoteIds?.push(c.remote_id)
  }
  return out
}
