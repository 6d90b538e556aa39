import type { ObjectType } from '../crm/types'
import { COLUMN_OF, TABLE } from './columns'
import type { Db } from './db'

// What an app row written before its tenant connected a CRM lacks: it was never queued (the
// outbox trigger queues for the connections there are), and a pull links it only when a CRM
// record shares its email or phone. These queue such rows on request (lib/crm/push-unlinked.ts).

const queueSql = Object.fromEntries((Object.keys(TABLE) as ObjectType[]).map((type) => {
  // Named as an insert's trigger entry names them: the mapped columns and references (the push
  // creates a record from all of its fields whatever the entry names; these say what is new).
  const columns = [...Object.values(COLUMN_OF[type]).map((c) => c.column), 'owner_id', ...(type === 'company' ? [] : ['company_id'])]
  // Live (not archived), with no link on this connection (a link archived because the CRM
  // deleted its record counts as one: that deletion stands), and nothing queued for it yet.
  const unlinked = `from public.${TABLE[type]} t
     where t.tenant_id = $1 and t.archived_at is null
       and not exists (select 1 from public.crm_links l where l.connection_id = $2 and l.object_type = '${type}' and l.local_id = t.id)
       and not exists (select 1 from public.crm_outbox o where o.connection_id = $2 and o.object_type = '${type}' and o.local_id = t.id)`
  return [type, {
    count: `select count(*)::int as n ${unlinked}`,
    queue: `with q as (
        insert into public.crm_outbox (tenant_id, connection_id, object_type, local_id, op, changed_fields)
        select $1, $2, '${type}', t.id, 'insert', array[${columns.map((c) => `'${c}'`).join(', ')}]::text[] ${unlinked}
        returning 1)
      select count(*)::int as n from q`,
  }]
})) as Record<ObjectType, { count: string; queue: string }>

/**
 * Queues every live record of `type` of the tenant that has no link on the connection and no
 * entry waiting, for the connection's next push (which creates it in the CRM); `dryRun` only
 * counts them. Returns how many.
 */
export async function queueUnlinked(db: Db, tenantId: string, connectionId: string, type: ObjectType, dryRun: boolean): Promise<number> {
  const [row] = await db.unsafe(dryRun ? queueSql[type].count : queueSql[type].queue, [tenantId, connectionId])
  return Number(row.n)
}
