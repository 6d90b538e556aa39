import { describe, expect, it } from 'vitest'
import { liveLeadCounts } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { statementsOf } from '../helpers/statement-of'

// The dashboard shows how many leads there are and re-renders when their changes move: both
// are sums over the same few rows of private.live_contact_counts. The page read them as two
// queries (countLeads, leadChanges); one statement reads both, from one snapshot.

const sql = testSql()

describe("the leads' count and their changes", () => {
  it('are one statement over private.live_contact_counts, giving both sums of the tenant\'s rows', async () => {
    const [tenant, other] = [await createTenant(sql), await createTenant(sql)]
    for (const email of ['a@x.io', 'b@x.io', 'c@x.io']) await sql`insert into contacts (tenant_id, email) values (${tenant}, ${email})`
    await sql`update contacts set first_name = 'Ada' where tenant_id = ${tenant} and email = 'a@x.io'`
    await sql`update contacts set archived_at = now() where tenant_id = ${tenant} and email = 'b@x.io'`
    await sql`insert into contacts (tenant_id, email) values (${other}, 'o@x.io')`

    let counts: Awaited<ReturnType<typeof liveLeadCounts>> | undefined
    const sent = await statementsOf(async (db) => { counts = await liveLeadCounts(db, tenant) })
    expect(sent.filter((s) => s.text.includes('live_contact_counts'))).toHaveLength(1)
    expect(sent).toHaveLength(1)

    const [sums] = await sql`select sum(n)::int as n, sum(changes)::float8 as changes from private.live_contact_counts where tenant_id = ${tenant}`
    // Two live leads (one archived); five statements changed them.
    expect(counts).toEqual({ leads: 2, changes: sums.changes })
    expect(sums.n).toBe(2)
    expect(sums.changes).toBe(5)
  })
})
