import { afterEach, describe, expect, it, vi } from 'vitest'
import { sealCredentials } from '../../lib/crm/auth/credentials'
import { syncDueConnections } from '../../lib/crm/cron'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { createConnection, disconnectConnection } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'
import { testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// A disconnected connection's portal still sends webhooks (HubSpot's app subscription is the
// app's, not the connection's) and may have events waiting from before the disconnect: none is
// a failure. Deliveries are answered 200 and dropped, as for a portal nobody connected; waiting
// events stay as they were, for a reconnect, with no run, no attempt counted and nothing logged.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, seed: 12 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC)
const errors = vi.spyOn(console, 'error')
afterEach(() => errors.mockClear())

const PORTAL = 99_996
const event = (eventId: number) => ({
  eventId, subscriptionId: 25, portalId: PORTAL, appId: sandbox.appId, occurredAt: Date.now(),
  subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 1, changeSource: 'CRM_UI', propertyName: 'jobtitle', propertyValue: 'x',
})

async function disconnectedConnection(): Promise<{ tenant: string; id: string }> {
  const tenant = await createTenant(sql)
  const c = await createConnection(sql, {
    tenantId: tenant, authMethod: 'private_app', portalId: String(PORTAL), apiBaseUrl: sandbox.url,
    credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: sandbox.token }), settings: {},
  })
  // An event that came before the disconnect and was not applied yet.
  await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, occurred_at, payload)
            values (${tenant}, ${c.id}, 'waiting', 'contact.propertyChange', now(), ${sql.json(event(1))})`
  expect(await disconnectConnection(sql, tenant, c.id)).toBe(true)
  return { tenant, id: c.id }
}

const stateOf = async (id: string) => (await sql`select
  (select coalesce(json_agg(json_build_object('key', event_key, 'processed', processed_at, 'attempts', attempts) order by id), '[]') from webhook_events where connection_id = ${id}) as events,
  (select count(*)::int from webhook_deliveries where connection_id = ${id}) as deliveries,
  (select count(*)::int from sync_runs where connection_id = ${id}) as runs`)[0]

describe("a disconnected connection's webhooks", () => {
  it('a delivery for its portal is answered 200 and ignored: nothing stored', async () => {
    const { id } = await disconnectedConnection()
    const before = await stateOf(id)
    const body = JSON.stringify([event(2)])
    const req = signedRequest(PUBLIC + WEBHOOK_PATH, body)
    const res = await hook.POST(new Request(PUBLIC + WEBHOOK_PATH, { method: 'POST', headers: req.headers, body }))
    await hook.settled()
    expect([res.status, await res.json()]).toEqual([200, { ok: true, received: 0, ignored: 'unknown-portal' }])
    expect(await stateOf(id)).toEqual(before)
  })

  it('its waiting events are skipped by a drain and by the cron, kept as they were for a reconnect; nothing logged', async () => {
    const { id } = await disconnectedConnection()
    const before = await stateOf(id)
    expect(before.events).toEqual([{ key: 'waiting', processed: null, attempts: 0 }])
    expect(await processPendingWebhooks(sql, id)).toMatchObject({ status: 'skipped', events: 0 })
    // Park every other connection: the cron here is about this one.
    await sql`update crm_connections set next_sync_at = now() + interval '1 day' where id <> ${id}`
    const report = await syncDueConnections(sql, { budgetMs: 60_000 })
    expect(report.results.map((r) => r.connectionId)).not.toContain(id)
    expect(report.webhooks.map((w) => w.connectionId)).not.toContain(id)
    expect(await stateOf(id)).toEqual(before)
    expect(errors.mock.calls.flat().join(' ')).not.toContain(id)
  })
})
