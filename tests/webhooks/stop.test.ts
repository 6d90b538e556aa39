import { expect, it } from 'vitest'
import { parseSettings } from '../../lib/crm/settings'
import { adapterForConnection, runSync } from '../../lib/crm/sync-service'
import { drainWebhooksSoon } from '../../lib/crm/webhooks/background'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { getConnection } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// A drain asked to stop (its function's time limit near) stops between batch reads: what
// it applied stays, the rest stays pending, and a later drain or the cron applies it.

const sql = testSql()
// One portal per test: the receiver keeps a portal's connections for a few seconds.
const sandboxes = [await testSandbox({ contacts: 250, deals: 3, owners: 1, seed: 47 }), await testSandbox({ contacts: 250, owners: 1, seed: 48 })]
type Sandbox = (typeof sandboxes)[number]
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

async function pending(connection: string): Promise<number> {
  const [row] = await sql`select count(*)::int as n from webhook_events where connection_id = ${connection} and processed_at is null`
  return row.n
}

/** Every contact edited by a rep, with one event each (three batch reads of 100). */
async function editEveryContact(sandbox: Sandbox, title: string): Promise<void> {
  const { results } = await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1000')
  for (const c of results) await control(sandbox, 'PATCH', `/rep/contacts/${c.id}`, { properties: { jobtitle: title } })
  const events = results.map((c, i) => ({
    eventId: Date.now() * 1000 + i, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(c.id), changeSource: 'CRM_UI', propertyName: 'jobtitle', propertyValue: title,
  }))
  for (let i = 0; i < events.length; i += 100) {
    expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(events.slice(i, i + 100))))).status).toBe(200)
  }
}

async function titled(connection: string, title: string): Promise<number> {
  const [row] = await sql`select count(*)::int as n from contacts c join crm_links l on l.local_id = c.id
                           where l.connection_id = ${connection} and c.job_title = ${title}`
  return row.n
}

/**
 * A synced connection with an event pending for each of its 250 contacts, and an adapter
 * whose first batch read aborts `stop` with `reason` (the time limit comes while it is out).
 */
async function pendingEverywhere(sandbox: Sandbox, title: string, reason: string) {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  await editEveryContact(sandbox, title)
  const c = (await getConnection(sql, connection))!
  const real = adapterForConnection(sql, c, parseSettings(c.settings))
  const stop = new AbortController()
  const adapter = { ...real, readBatch: async (...args: Parameters<typeof real.readBatch>) => {
    const records = await real.readBatch(...args)
    stop.abort(reason)
    return records
  } }
  return { connection, adapter, signal: stop.signal }
}

it('stops between batch reads; its run says so; the next drain applies the rest', async () => {
  const sandbox = sandboxes[0]
  const { connection, adapter, signal } = await pendingEverywhere(sandbox, 'Stop test', 'stopped for the test')
  // Deals too, applied after contacts: a stop among the contacts never starts them.
  const deals = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/deals?limit=10')).results
  expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(deals.map((d, i) => ({
    eventId: Date.now() * 1000 + 900 + i, subscriptionId: 26, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'deal.creation', attemptNumber: 0, objectId: Number(d.id), changeSource: 'CRM_UI',
  })))))).status).toBe(200)
  const first = await processPendingWebhooks(sql, connection, { adapter, signal })
  expect(first).toMatchObject({ status: 'processed', stopped: 'stopped for the test', failedEvents: 0 })
  expect(first.counts.contact).toMatchObject({ fetched: 100, updated: 100 })
  expect(first.counts.deal).toBeUndefined()
  expect(await titled(connection, 'Stop test')).toBe(100)
  expect(await pending(connection)).toBe(150 + 3)
  const runs = await sql`select object_type, status, error from sync_runs where connection_id = ${connection} and trigger = 'webhook'`
  expect(runs).toEqual([{ object_type: 'contact', status: 'partial', error: '[stopped] stopped for the test; the events left wait for the next drain' }])
  const [lease] = await sql`select sync_lease_owner from crm_connections where id = ${connection}`
  expect(lease.sync_lease_owner).toBe(null)

  const second = await processPendingWebhooks(sql, connection)
  expect(second.stopped).toBeUndefined()
  expect(second.counts.contact).toMatchObject({ fetched: 150, updated: 150 })
  expect(second.counts.deal).toMatchObject({ created: 3 })
  expect(await pending(connection)).toBe(0)
  expect(await titled(connection, 'Stop test')).toBe(250)
})

it('a drain stopped at its limit hands the rest to a caller still waiting on it, which has time left', async () => {
  const { connection, adapter, signal } = await pendingEverywhere(sandboxes[1], 'Handed on', 'the first caller is out of time')
  // Two deliveries' after(): the first starts the drain, the second (its own time) waits on it.
  const first = drainWebhooksSoon(async () => sql, connection, { adapter, signal })
  const second = drainWebhooksSoon(async () => sql, connection, { signal: new AbortController().signal })
  await Promise.all([first, second])
  expect(await pending(connection)).toBe(0)
  expect(await titled(connection, 'Handed on')).toBe(250)
  const runs = await sql`select status from sync_runs where connection_id = ${connection} and trigger = 'webhook' order by id`
  expect(runs.map((r) => r.status)).toEqual(['partial', 'success'])
})
