import { beforeAll, describe, expect, it } from 'vitest'
import { GET as status } from '../../app/api/crm/status/route'
import { shouldRefresh, type StatusPayload } from '../../lib/crm/live-changes'
import { runSync } from '../../lib/crm/sync-service'
import { enableWebhooks } from '../../lib/crm/webhooks/manage'
import { getConnection } from '../../lib/store/connections'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { serveHandler, webhookHandler } from '../webhooks/helpers'
import { resetLocalWorkspace, useAppEnv } from './helpers'

// The dashboard's poller re-renders the server-rendered parts (leads table, conflicts queue,
// the card's counts) when GET /api/crm/status's `changes` moves. Changes that arrive by webhook
// mark no run as running: before, an edit made in HubSpot reached the database in a second
// and the open page showed the old name until reloaded, and a conflict a webhook apply opened
// stayed out of "Conflicts to review" while the status counted it.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 4, companies: 1, deals: 0, owners: 1, seed: 53 })
useAppEnv(sandbox)
let hook: ReturnType<typeof webhookHandler>
const target = await serveHandler((req) => hook.POST(req))
hook = webhookHandler(sql, target.url)

const poll = async () => (await (await status()).json()) as StatusPayload
const settle = async () => {
  await control(sandbox, 'POST', '/webhooks/flush', { timeoutMs: 10_000 })
  await hook.settled()
}

let connection: string
let contact: { id: string; remote_id: string }
beforeAll(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { conflicts: { strategy: 'manual_review' } })
  await runSync(sql, { connectionId: connection, trigger: 'initial' })
  await enableWebhooks(sql, (await getConnection(sql, connection))!, target.url)
  ;[contact] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id
                          where l.connection_id = ${connection} order by c.id limit 1`
})

describe('GET /api/crm/status: `changes`, the cue to re-render the dashboard', () => {
  it('stays put between polls while nothing changes', async () => {
    const [a, b] = [await poll(), await poll()]
    expect(a.changes).toBe(b.changes)
    expect(shouldRefresh(a, b)).toBe(false)
  })

  it("moves when a rep's edit is applied by webhook, with no run marked running", async () => {
    const before = await poll()
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remote_id}`, { properties: { firstname: 'Yolanda' } })
    await settle()
    expect((await sql`select first_name from contacts where id = ${contact.id}`)[0].first_name).toBe('Yolanda')
    const after = await poll()
    expect([before.running, after.running]).toEqual([false, false])
    expect(after.leadChanges).toBeGreaterThan(before.leadChanges)
    expect(shouldRefresh(before, after)).toBe(true)
    // And not again on the next, idle, poll.
    expect(shouldRefresh(after, await poll())).toBe(false)
  })

  it('moves when the host app edits, adds or archives a lead straight in SQL (no count moves for an edit), and only then', async () => {
    for (const write of [
      () => sql`update contacts set first_name = 'Edited in SQL' where id = ${contact.id}`,
      () => sql`insert into contacts (tenant_id, email) values (${LOCAL_TENANT_ID}, 'added-in-sql@example.com')`,
      () => sql`update contacts set archived_at = now() where email = 'added-in-sql@example.com'`,
    ]) {
      const before = await poll()
      await write()
      const after = await poll()
      expect(after.leadChanges).toBeGreaterThan(before.leadChanges)
      expect(shouldRefresh(before, after)).toBe(true)
      expect(shouldRefresh(after, await poll())).toBe(false)
    }
  })

  it('moves when a webhook apply opens a conflict', async () => {
    await sql`update contacts set job_title = 'Set in the app' where id = ${contact.id}`
    const before = await poll()
    expect(before.connections[0].openConflicts).toBe(0)
    await new Promise((res) => setTimeout(res, 20))
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remote_id}`, { properties: { jobtitle: 'Set in HubSpot' } })
    await settle()
    const after = await poll()
    expect(after.connections[0].openConflicts).toBe(1)
    expect(shouldRefresh(before, after)).toBe(true)
    expect(shouldRefresh(after, await poll())).toBe(false)
  })
})
