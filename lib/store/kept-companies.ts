import { TABLE } from './columns'
import type { Db, Sql } from './db'

// With a connection's companies off, a record's company is the app's own: the pull leaves
// it and remembers the CRM's in the link (see PageContext.companies in
// lib/crm/pull/apply-page.ts). Turned on, the records whose CRM company moved meanwhile
// would keep the old one: the link already remembers the new one, so no later pull sees a
// change. These statements find and settle them once, under the sync lease.

/** A page kept the app's company beside the CRM's: the next sync with companies on settles them. */
export async function noteKeptCompanies(db: Db, connectionId: string): Promise<void> {
  // Written once per period off (the flag is already up after the first page).
  await db`update crm_connections set companies_to_reconcile = true where id = ${connectionId} and not companies_to_reconcile`
}

const reconcileSql = (type: 'contact' | 'deal') => `
  with stale as (
    select t.id, e.remote_id
      from public.crm_links l
      cross join lateral (select private.entry_id(l.field_hashes, '@company') as remote_id) e
      join public.${TABLE[type]} t on t.id = l.local_id
     where l.connection_id = $2 and l.object_type = '${type}' and l.archived_at is null
       and t.tenant_id = $1 and t.archived_at is null
       and (e.remote_id is not null or position(',@company:' || $3 || ',' in ',' || l.field_hashes || ',') > 0)
       and not exists (select 1 from public.crm_outbox o
                        where o.connection_id = $2 and o.local_id = t.id and 'company_id' = any(o.changed_fields))),
  resolved as (
    select s.id, s.remote_id, c.local_id as company_id
      from stale s
      left join public.crm_links c on c.connection_id = $2 and c.object_type = 'company' and c.remote_id = s.remote_id and c.archived_at is null),
  moved as (
    update public.${TABLE[type]} t set company_id = r.company_id
      from resolved r
     where t.id = r.id and t.company_id is distinct from r.company_id
    returning t.id, r.remote_id, r.company_id),
  waiting as (
    insert into public.crm_pending_refs (connection_id, kind, remote_id, object_type, local_id, tenant_id)
    select $2, 'company', m.remote_id, '${type}', m.id, $1 from moved m where m.company_id is null and m.remote_id is not null
    on conflict do nothing)
  select count(*)::int as moved from moved`

const RECONCILE = [reconcileSql('contact'), reconcileSql('deal')]

/**
 * If a page kept companies apart since the last time: every live contact and deal whose
 * link remembers a CRM company other than the record's takes the CRM's (a company not in
 * the app yet waits in crm_pending_refs, and is linked when it arrives), except where the
 * app changed the company itself and the change waits in the outbox: that one goes to the
 * CRM instead. `noneEntry` is the link entry for "no company" (referenceEntry(null));
 * links that keep an older hash are left as they are. One transaction, as the sync
 * writer (the CRM already holds these companies); returns how many records moved.
 */
export async function reconcileKeptCompanies(sql: Sql, tenantId: string, connectionId: string, noneEntry: string): Promise<number> {
  return sql.begin(async (tx) => {
    const [flag] = await tx`update crm_connections set companies_to_reconcile = false
                             where id = ${connectionId} and companies_to_reconcile returning id`
    if (!flag) return 0
    await tx`select set_config('syncline.writer', 'sync', true)`
    let moved = 0
    for (const statement of RECONCILE) moved += (await tx.unsafe(statement, [tenantId, connectionId, noneEntry]))[0].moved as number
    return moved
  })
}
