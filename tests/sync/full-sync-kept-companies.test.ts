import { inject, describe, expect, it } from 'vitest'
import type { CrmAdapter } from '../../lib/crm/adapters/types'
import { pageContext } from '../../lib/crm/pull/apply-page'
import { pullFull } from '../../lib/crm/pull/full'
import { parseSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import { connect } from '../../lib/store/db'
import { emptyCounts } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { connectionWith, contactPage, holdContact, hours, onServer, SERVER_ONLY, track, until } from '../helpers/interleave'

// A full sync writes two batches at once (pull/full.ts): batch N, started while N−1 is still
// writing, commits only after N−1, and waits for it in code, inside its transaction. With
// companies off, a batch that keeps a record's company beside the CRM's raises the
// connection's companies_to_reconcile flag (noteKeptCompanies, an UPDATE of the connection's
// row). Raised in the batch's writes, N could take that row before N−1 did; N−1 then waited
// on N's row lock and N on N−1 in code: a hang no deadlock check sees. Shown here with N−1
// held on a row an app transaction has locked while N runs ahead.

const sql = testSql()
const COMPANIES_OFF = parseSettings({ entities: { company: false } })

const contact = (remoteId: string, at: number, jobTitle = 'Base title'): RemoteRecord => ({
  remoteId, fields: { email: `${remoteId}@kept.test`, firstName: 'Ada', jobTitle }, updatedAt: hours(at), createdAt: hours(0), archived: false,
  associations: { companyRemoteId: `co-${remoteId}` },
})

// On PGlite transactions run one at a time: two batches are never in flight inside the database at once.
describe.skipIf(!onServer)(`two batches of a full sync with companies off (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it('the later batch keeping a company before the earlier one does waits for it without holding the connection, and both commit', async () => {
    const tenant = await createTenant(sql)
    const connection = await connectionWith(sql, tenant, COMPANIES_OFF)
    const tag = `k${Math.floor(Math.random() * 1e9)}`
    // A contact synced before, then companies on and reconciled (the flag down), then off again.
    await contactPage(sql, { tenant, connection }, COMPANIES_OFF, [contact(`${tag}-0`, 0)])
    await sql`update crm_connections set companies_to_reconcile = false where id = ${connection}`
    const [{ local_id: heldId }] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${`${tag}-0`}`

    // Batch 1: that contact, changed in HubSpot, and 499 new ones (WRITE_BATCH is 500); batch 2: one more.
    const first = [contact(`${tag}-0`, 1, 'CRM title'), ...Array.from({ length: 499 }, (_, i) => contact(`${tag}-a${i}`, 1))]
    const second = [contact(`${tag}-b`, 1)]
    const adapter = {
      listPage: async (_type: string, after: string | null) => (after === null ? { records: first, next: 'page-2' } : { records: second, next: null }),
    } as unknown as CrmAdapter

    const db = connect(inject('databaseUrl'), { max: 3 })
    const app = await holdContact(heldId)
    let released = false
    try {
      const ctx = pageContext(db, { tenantId: tenant, id: connection }, COMPANIES_OFF, 'contact', { counts: emptyCounts(), errors: [] })
      const run = track(pullFull(ctx, adapter, { checkpoint: {}, initialDone: false }, async () => {}))
      // Batch 1 waits on the app's row; batch 2 runs ahead, to its commit, where it waits for
      // batch 1 in code: idle in its transaction (the app's transaction is idle too, on its FOR UPDATE).
      await until(async () => run.settled() || (await sql`select 1 from pg_stat_activity
        where datname = current_database() and state = 'idle in transaction' and query not ilike '%for update%'
          and state_change < now() - interval '1 second'`).length > 0, 'batch 2 is at its commit, waiting for batch 1')
      expect(run.settled()).toBe(false)
      await app.release()
      released = true
      // Both batches commit. Before, batch 1's flag update waited for batch 2's row lock, and
      // batch 2 for batch 1: no deadlock error, no end.
      const ended = await Promise.race([run.p.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000))])
      if (!ended) {
        // Unhang it: cancel the waiting statement, and the run fails as it would have hung.
        await sql`select pg_cancel_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`
        await run.p.catch(() => {})
      }
      expect(ended).toBe(true)
    } finally {
      if (!released) await app.release()
      await db.end({ timeout: 5 })
    }
    const [{ n }] = await sql`select count(*)::int as n from contacts where tenant_id = ${tenant}`
    expect(n).toBe(501)
    expect((await sql`select job_title from contacts where id = ${heldId}`)[0].job_title).toBe('CRM title')
    expect((await sql`select companies_to_reconcile from crm_connections where id = ${connection}`)[0].companies_to_reconcile).toBe(true)
  })
})
