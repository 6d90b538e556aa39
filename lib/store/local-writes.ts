import type { Fields, ObjectType } from '../crm/types'
import { COLUMN_OF, TABLE } from './columns'
import type { Db } from './db'

// Writes made on the app's behalf (a person's decision, an import): ordinary writes, so
// the outbox trigger captures them and the next push sends them to the CRM.

/** Canonical fields as the table's columns (fields that are not columns, such as ownerRemoteId, left out). */
function columnValues(type: ObjectType, fields: Record<string, string | null | undefined>): Record<string, unknown> {
  const set: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(fields)) {
    const c = COLUMN_OF[type][field]
    if (c) set[c.column] = value
  }
  return set
}

/** Sets canonical fields on one local record; ownerRemoteId resolves through the connection's owners. */
export async function updateLocalFields(db: Db, tenantId: string, connectionId: string, type: ObjectType, id: string, fields: Fields): Promise<void> {
  const set = columnValues(type, fields)
  if ('ownerRemoteId' in fields) {
    const [owner] = fields.ownerRemoteId
      ? await db`select id, email from owners where connection_id = ${connectionId} and remote_id = ${fields.ownerRemoteId}`
      : []
    set.owner_id = owner?.id ?? null
    set.owner_email = owner?.email ?? null
  }
  if (Object.keys(set).length === 0) return
  await db`update ${db(TABLE[type])} set ${db(set)} where tenant_id = ${tenantId} and id = ${id}`
}

export interface NewLead {
  email: string | null
  phone: string | null
  firstName: string | null
  lastName: string | null
  jobTitle: string | null
  companyName: string | null
  lifecycleStage: string | null
  leadStatus: string | null
  description: string | null
}

/** Manual leads, inserted in one statement; returns their ids in input order. */
export async function insertManualContacts(db: Db, tenantId: string, leads: NewLead[]): Promise<string[]> {
  if (leads.length === 0) return []
  const rows = leads.map((l) => ({
    tenant_id: tenantId, source: 'manual', email: l.email, phone: l.phone, first_name: l.firstName, last_name: l.lastName,
    job_title: l.jobTitle, company_name: l.companyName, lifecycle_stage: l.lifecycleStage, lead_status: l.leadStatus, description: l.description,
  }))
  const inserted = await db`insert into contacts ${db(rows)} returning id`
  return inserted.map((r) => r.id as string)
}

/**
 * Serializes the tenant's lead writes that check emails and phones (Add lead, an import, a
 * lead's edit) until the transaction ends: there is no unique index on either (a CRM may hold
 * two contacts with one), so two requests checking at once would both find it free. Outside a
 * transaction it is released at once and protects nothing.
 */
export async function lockTenantLeads(db: Db, tenantId: string): Promise<void> {
  await db`select pg_advisory_xact_lock(hashtextextended(${'leads:' + tenantId}, 0))`
}

export interface LiveContact {
  id: string
  /** Lower case, as the app compares emails. */
  email: string | null
  phone: string | null
  firstName: string | null
  lastName: string | null
}

/**
 * The tenant's live contacts, other than `exceptId` (the one being edited), holding one of
 * these (normalized) emails or (E.164) phones. Takes the tenant's leads lock first
 * (lockTenantLeads), so called in the transaction that then writes, the answer holds until
 * it commits. One index probe per value (lateral, fenced with offset 0), as the pull's
 * findContactCandidates, rather than `= any(…) or = any(…)`, which an import's thousand
 * values would price as a scan of the table.
 */
export async function liveContactsHolding(db: Db, tenantId: string, values: { emails: string[]; phones: string[] }, exceptId?: string): Promise<LiveContact[]> {
  if (values.emails.length === 0 && values.phones.length === 0) return []
  await lockTenantLeads(db, tenantId)
  const except = exceptId ?? null
  const rows = await db`
    select distinct on (m.id) m.id, lower(m.email) as email, m.phone, m.first_name, m.last_name
      from (select c.* from unnest(${values.emails}::text[]) as e(email)
              cross join lateral (select id, email, phone, first_name, last_name from contacts
                                   where tenant_id = ${tenantId} and lower(email) = e.email and archived_at is null
                                     and id is distinct from ${except}::uuid offset 0) c
            union all
            select c.* from unnest(${values.phones}::text[]) as p(phone)
              cross join lateral (select id, email, phone, first_name, last_name from contacts
                                   where tenant_id = ${tenantId} and phone = p.phone and archived_at is null
                                     and id is distinct from ${except}::uuid offset 0) c) m
     order by m.id`
  return rows.map((r) => ({ id: r.id, email: r.email, phone: r.phone, firstName: r.first_name, lastName: r.last_name }))
}

/**
 * Sets fields of one live contact of the tenant (a person's edit in the dashboard): its email
 * and phone as written, or undefined when there is no such contact. An ordinary write: the
 * outbox trigger captures the changed columns, and the next sync pushes them.
 */
export async function updateContact(db: Db, tenantId: string, id: string, fields: Partial<NewLead>): Promise<{ email: string | null; phone: string | null } | undefined> {
  const set = columnValues('contact', fields)
  if (Object.keys(set).length === 0) return undefined
  const [row] = await db`update contacts set ${db(set)} where tenant_id = ${tenantId} and id = ${id} and archived_at is null returning email, phone`
  return row ? { email: row.email as string | null, phone: row.phone as string | null } : undefined
}
