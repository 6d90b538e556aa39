import { describe, expect, it } from 'vitest'
import { CONFLICTS_PAGE_SIZE } from '../../lib/conflicts-query'
import { countOpenConflicts, dismissStaleConflicts, listOpenConflicts, refreshConflictLocals, upsertConflicts } from '../../lib/store/conflicts'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// The dashboard's conflicts queue, on real Postgres: every open conflict reachable a page at a time.

const sql = testSql()

/** A tenant with `n` open conflicts on contacts, opened a minute apart (the first is the oldest). */
async function tenantWithConflicts(n: number) {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  const contacts = await sql`insert into contacts (tenant_id, email) select ${tenant}, 'c' || i || '@example.com' from generate_series(1, ${n}) i returning id, email`
  await upsertConflicts(sql, tenant, connection, 'contact', contacts.map((c, i) => ({
    localId: c.id, remoteId: String(1000 + i), fields: ['jobTitle'], local: { email: c.email }, remote: { jobTitle: 'x' },
  })))
  const oldestFirst = contacts.map((c) => ({ id: c.id as string, i: Number(/^c(\d+)@/.exec(c.email)![1]) })).sort((a, b) => a.i - b.i).map((c) => c.id)
  await sql`update sync_conflicts k set created_at = now() - make_interval(mins => ${n} - u.i::int)
              from unnest(${oldestFirst}::uuid[]) with ordinality as u(local_id, i) where k.local_id = u.local_id`
  return { tenant, connection }
}

describe('the conflicts queue', () => {
  it('with 61 open, counts 61 and pages them oldest first: 50, then the last 11, none twice, none missed', async () => {
    const { tenant } = await tenantWithConflicts(61)
    const other = await tenantWithConflicts(2)
    expect(CONFLICTS_PAGE_SIZE).toBe(50)
    expect(await countOpenConflicts(sql, tenant)).toBe(61)
    const first = await listOpenConflicts(sql, tenant, { limit: 50 })
    const second = await listOpenConflicts(sql, tenant, { limit: 50, offset: 50 })
    expect([first.length, second.length]).toEqual([50, 11])
    const emails = [...first, ...second].map((c) => c.local.email)
    expect(emails).toEqual(Array.from({ length: 61 }, (_, i) => `c${i + 1}@example.com`))
    expect(await countOpenConflicts(sql, other.tenant)).toBe(2)
  })

  it('a conflict refreshed (by a sync or an app edit) keeps its place: the queue stays in the order they opened', async () => {
    const { tenant, connection } = await tenantWithConflicts(2)
    const before = await listOpenConflicts(sql, tenant)
    const [oldest] = before
    // A sync finds the record changed again and refreshes its conflict's snapshots…
    await upsertConflicts(sql, tenant, connection, 'contact', [{
      localId: oldest.localId, remoteId: oldest.remoteId, fields: ['jobTitle'], local: { ...oldest.local, jobTitle: 'a' }, remote: { jobTitle: 'y' },
    }])
    // …and the app edits it again before the next push.
    await refreshConflictLocals(sql, connection, 'contact', [{ localId: oldest.localId, fields: { jobTitle: 'b' }, at: new Date() }])
    const after = await listOpenConflicts(sql, tenant)
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id))
    expect(after[0]).toMatchObject({ remote: { jobTitle: 'y' }, local: { jobTitle: 'b' }, createdAt: oldest.createdAt })
  })

  it('counts only open ones: decided and dismissed conflicts leave the count and the pages', async () => {
    const { tenant } = await tenantWithConflicts(3)
    const [oldest, middle] = await listOpenConflicts(sql, tenant, { limit: 2 })
    await sql`update sync_conflicts set status = 'resolved' where id = ${oldest.id}`
    await sql`update sync_conflicts set status = 'dismissed' where id = ${middle.id}`
    expect(await countOpenConflicts(sql, tenant)).toBe(1)
    expect((await listOpenConflicts(sql, tenant, { limit: 50 })).map((c) => c.local.email)).toEqual(['c3@example.com'])
  })

  it('dismisses the stale ones of every object type, and nothing of another tenant', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const [company] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Acme') returning id`
    const [deal] = await sql`insert into deals (tenant_id, name, archived_at) values (${tenant}, 'Big one', now()) returning id`
    const [live] = await sql`insert into deals (tenant_id, name) values (${tenant}, 'Live one') returning id`
    await sql`insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason, archived_at)
              values (${tenant}, ${connection}, 'company', ${company.id}, '77', 'crm', 'created', now())`
    const conflict = (localId: string, remoteId: string) => ({ localId, remoteId, fields: ['name'], local: { name: 'a' }, remote: { name: 'b' } })
    await upsertConflicts(sql, tenant, connection, 'company', [conflict(company.id, '77')])
    await upsertConflicts(sql, tenant, connection, 'deal', [conflict(deal.id, '88'), conflict(live.id, '89')])
    const elsewhere = await tenantWithConflicts(1)
    await sql`delete from contacts where tenant_id = ${elsewhere.tenant}`

    const dismissed = await dismissStaleConflicts(sql, tenant)
    const reasons = Object.fromEntries(await Promise.all(dismissed.map(async (d) => {
      const [k] = await sql`select local_id from sync_conflicts where id = ${d.id}`
      return [k.local_id, d.reason]
    })))
    expect(reasons).toEqual({ [company.id]: 'remote_archived', [deal.id]: 'local_archived' })
    expect(await countOpenConflicts(sql, tenant)).toBe(1)
    expect(await countOpenConflicts(sql, elsewhere.tenant)).toBe(1)
  })
})
