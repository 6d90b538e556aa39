import { describe, expect, it } from 'vitest'
import { countMatchingLeads, liveLeadCounts, recentLeads } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { statementOf } from '../helpers/statement-of'

// The dashboard's leads list: search and pages, on real Postgres.

const sql = testSql()

async function tenantWithLeads() {
  const tenant = await createTenant(sql)
  const [acme] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Acme Robotics') returning id`
  const rows = [
    { email: 'ada@acme.io', first_name: 'Ada', last_name: 'Lovelace', company_id: acme.id },
    { email: 'grace@navy.mil', first_name: 'Grace', last_name: 'Hopper', company_name: 'US Navy' },
    { email: 'percent_50%@odd.io', first_name: 'Odd', last_name: 'Chars' },
    { email: 'back\\slash@odd.io', first_name: 'Back', last_name: 'Slash' },
    { email: 'gone@acme.io', first_name: 'Gone', last_name: 'Archived', company_id: acme.id, archived_at: new Date() },
  ]
  let minutes = rows.length
  for (const r of rows) {
    await sql`insert into contacts ${sql({ tenant_id: tenant, ...r, updated_at: new Date(Date.now() - minutes-- * 60_000) } as Record<string, unknown>)}`
  }
  return tenant
}

describe('leads search', () => {
  it.each([
    { search: undefined, emails: ['back\\slash@odd.io', 'percent_50%@odd.io', 'grace@navy.mil', 'ada@acme.io'] },
    { search: 'ACME', emails: ['ada@acme.io'] }, // by email or the company's name, any case; archived ones never
    { search: 'robotics', emails: ['ada@acme.io'] },
    { search: 'us navy', emails: ['grace@navy.mil'] }, // the company name a contact carries itself
    { search: 'grace hop', emails: ['grace@navy.mil'] }, // first and last name together
    { search: '%', emails: ['percent_50%@odd.io'] }, // taken literally, not as a wildcard
    { search: '_', emails: ['percent_50%@odd.io'] },
    { search: '\\', emails: ['back\\slash@odd.io'] },
    { search: 'nobody', emails: [] },
  ])('$search', async ({ search, emails }) => {
    const tenant = await tenantWithLeads()
    expect((await recentLeads(sql, tenant, { search })).map((l) => l.email)).toEqual(emails)
    expect(search ? await countMatchingLeads(sql, tenant, search) : { n: (await liveLeadCounts(sql, tenant)).leads, more: false }).toEqual({ n: emails.length, more: false })
  })

  it("never shows another workspace's company or owner, even when a row names its id (written past the app)", async () => {
    const tenant = await tenantWithLeads()
    const other = await createTenant(sql)
    const [theirs] = await sql`insert into companies (tenant_id, name) values (${other}, 'Secret Holdings') returning id`
    const connection = await insertConnection(sql, other)
    const [owner] = await sql`insert into owners (tenant_id, connection_id, remote_id, first_name, last_name)
      values (${other}, ${connection}, '77', 'Their', 'Rep') returning id`
    // The table owner bypasses row-level security, as a badly written job could.
    await sql`update contacts set company_id = ${theirs.id}, owner_id = ${owner.id} where tenant_id = ${tenant} and email = 'grace@navy.mil'`
    const [grace] = (await recentLeads(sql, tenant, { search: 'grace' }))
    expect(grace).toMatchObject({ companyName: 'US Navy', ownerName: null })
    expect(await recentLeads(sql, tenant, { search: 'secret' })).toEqual([])
    expect(await countMatchingLeads(sql, tenant, 'secret')).toEqual({ n: 0, more: false })
  })

  // A common short search ('ab') has no trigram index to narrow it: an exact count read every
  // contact (3.9 s at 1,000,000 on Postgres 15). The count stops once it knows there are more
  // than it goes to (the dashboard's "10,000+"); up to there it is exact.
  it.each([
    { search: 'ab', upTo: 3, count: { n: 3, more: true } }, // under three letters in a row: no index
    { search: 'abbot', upTo: 3, count: { n: 3, more: true } }, // by the trigram index
    { search: 'ab', upTo: 10, count: { n: 10, more: false } }, // exactly as many as it goes to: exact
    { search: 'ab', upTo: 11, count: { n: 10, more: false } },
  ])("a search's count stops past $upTo: $search", async ({ search, upTo, count }) => {
    const tenant = await createTenant(sql)
    await sql`insert into contacts (tenant_id, email) select ${tenant}, 'abbot' || i || '@x.io' from generate_series(1, 10) i`
    await sql`insert into contacts (tenant_id, email) values (${tenant}, 'other@x.io')`
    expect(await countMatchingLeads(sql, tenant, search, upTo)).toEqual(count)
    // And the statement stops reading there: its count is fed no more than upTo + 1 matches.
    const statement = await statementOf((db) => countMatchingLeads(db, tenant, search, upTo))
    const [{ 'QUERY PLAN': [plan] }] = await sql.unsafe(`explain (analyze, format json) ${statement.text}`, statement.params as never[])
    expect(plan.Plan['Node Type']).toBe('Aggregate')
    expect(plan.Plan.Plans[0]['Actual Rows']).toBe(Math.min(10, upTo + 1))
  })

  it('pages go newest first and do not overlap', async () => {
    const tenant = await tenantWithLeads()
    const pages = [await recentLeads(sql, tenant, { limit: 3 }), await recentLeads(sql, tenant, { limit: 3, offset: 3 })]
    expect(pages.map((p) => p.length)).toEqual([3, 1])
    expect(pages.flat().map((l) => l.email)).toEqual((await recentLeads(sql, tenant)).map((l) => l.email))
  })
})

describe('leads waiting to sync', () => {
  it('marks a lead the app changed until the push has taken it (the outbox is empty of it)', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    // Written by a sync: nothing to push.
    const ids = await sql.begin(async (tx) => {
      await tx`select set_config('syncline.writer', 'sync', true)`
      return tx`insert into contacts (tenant_id, email, source) values (${tenant}, 'synced@a.io', 'crm'), (${tenant}, 'edited@a.io', 'crm') returning id, email`
    })
    const edited = ids.find((r) => r.email === 'edited@a.io')!.id
    const pending = async () => Object.fromEntries((await recentLeads(sql, tenant)).map((l) => [l.email, l.pendingPush]))
    expect(await pending()).toEqual({ 'synced@a.io': false, 'edited@a.io': false })
    await sql`update contacts set job_title = 'Edited in the app' where id = ${edited}`
    expect(await pending()).toEqual({ 'synced@a.io': false, 'edited@a.io': true })
    await sql`delete from crm_outbox where connection_id = ${connection}`
    expect(await pending()).toEqual({ 'synced@a.io': false, 'edited@a.io': false })

    // With the connection's companies off, a company change waits for them (held), and is not marked.
    await sql`update crm_connections set settings = ${sql.json({ entities: { company: false } })} where id = ${connection}`
    const [own] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Ours') returning id`
    await sql`update contacts set company_id = ${own.id} where id = ${edited}`
    expect(await pending()).toEqual({ 'synced@a.io': false, 'edited@a.io': false })
    await sql`update contacts set job_title = 'Edited again' where id = ${edited}`
    expect(await pending()).toEqual({ 'synced@a.io': false, 'edited@a.io': true })

    // Disconnected: the edit waits in the connection's outbox for a reconnect, and is not marked as on its way.
    await sql`delete from crm_outbox where connection_id = ${connection}`
    await sql`update crm_connections set status = 'disconnected' where id = ${connection}`
    await sql`update contacts set job_title = 'Edited while disconnected' where id = ${edited}`
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection} and local_id = ${edited}`)[0].n).toBe(1)
    expect(await pending()).toEqual({ 'synced@a.io': false, 'edited@a.io': false })
  })
})
