import { beforeAll, describe, expect, it } from 'vitest'
import { sealCredentials } from '../../lib/crm/auth/credentials'
import { runSync } from '../../lib/crm/sync-service'
import { createConnection } from '../../lib/store/connections'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 20, seed: 11 })
// HubSpot signs the public URL; behind a proxy the request reaches us on another host.
const PUBLIC = 'https://hooks.syncline.test'
const INTERNAL = `http://10.0.0.7:3000${WEBHOOK_PATH}`
const hook = webhookHandler(sql, PUBLIC)

let tenant: string
let connection: string
let nextEventId = 1
let contacts: Array<{ id: string }>

const event = (objectId: string, extra: Record<string, unknown> = {}) => ({
  eventId: nextEventId++, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
  subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(objectId), changeSource: 'CRM_UI',
  propertyName: 'jobtitle', propertyValue: 'x', ...extra,
})
const deliver = async (events: unknown[] | string | Buffer, opts: { timestamp?: number; secret?: string; url?: string } = {}) => {
  const body = typeof events === 'string' || Buffer.isBuffer(events) ? events : JSON.stringify(events)
  const req = signedRequest(PUBLIC + WEBHOOK_PATH, body, opts)
  // Same headers and body, arriving at the internal URL as a proxied request would.
  const res = await hook.POST(new Request(opts.url ?? INTERNAL, { method: 'POST', headers: req.headers, body: typeof body === 'string' ? body : Uint8Array.from(body) }))
  await hook.settled()
  return { status: res.status, body: await res.json() }
}
const jobTitle = async (remoteId: string) => {
  const [row] = await sql`select c.job_title, c.updated_at from contacts c join crm_links l on l.local_id = c.id
                           where l.connection_id = ${connection} and l.object_type = 'contact' and l.remote_id = ${remoteId}`
  return row
}
const inbox = async () => {
  const [row] = await sql`select (select count(*)::int from webhook_events where connection_id = ${connection}) as events,
                                 (select count(*)::int from webhook_deliveries where connection_id = ${connection}) as deliveries,
                                 webhook_total_received::int as total from crm_connections where id = ${connection}`
  return row
}

describe('POST /api/webhooks/hubspot', () => {
  beforeAll(async () => {
    tenant = await createTenant(sql)
    connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
    contacts = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=100')).results
  })

  it('the same batch delivered twice changes rows once', async () => {
    const id = contacts[0].id
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'Delivered twice' } })
    const batch = [event(id, { propertyValue: 'Delivered twice' })]
    expect(await deliver(batch)).toEqual({ status: 200, body: { ok: true, received: 1 } })
    const first = await jobTitle(id)
    expect(first.job_title).toBe('Delivered twice')

    // HubSpot's retry: same events, a later attempt number and a fresh signature.
    expect(await deliver(batch.map((e) => ({ ...e, attemptNumber: 1 })))).toEqual({ status: 200, body: { ok: true, received: 1 } })
    expect(await jobTitle(id)).toEqual(first)
    const runs = await sql`select updated from sync_runs where connection_id = ${connection} and trigger = 'webhook'`
    expect(runs.map((r) => r.updated)).toEqual([1])
    expect(await inbox()).toEqual({ events: 1, deliveries: 0, total: 1 })
  })

  it('events shuffled out of order end in the newest state', async () => {
    const id = contacts[1].id
    const events = []
    for (const title of ['First', 'Second', 'Third']) {
      await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: title } })
      events.push(event(id, { propertyValue: title }))
    }
    for (const e of [events[2], events[0], events[1]]) {
      expect((await deliver([e])).status).toBe(200)
      expect((await jobTitle(id)).job_title).toBe('Third')
    }
  })

  it('a forged signature, a stale timestamp and a malformed body are rejected and write nothing', async () => {
    const before = await inbox()
    const batch = [event(contacts[2].id)]
    expect(await deliver(batch, { secret: 'not-the-secret' })).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } })
    expect(await deliver(batch, { timestamp: Date.now() - 6 * 60_000 })).toMatchObject({ status: 401, body: { error: { message: 'stale-timestamp' } } })
    // Signed for another path than the one it arrives at.
    expect((await deliver(batch, { url: `http://10.0.0.7:3000${WEBHOOK_PATH}?x=1` })).status).toBe(401)
    expect(await deliver('[{"eventId":')).toMatchObject({ status: 400 })
    expect(await deliver([{ eventId: 1, objectId: 'abc' }])).toMatchObject({ status: 400 })
    expect(await deliver(Array.from({ length: 101 }, () => event(contacts[2].id)))).toMatchObject({ status: 400 })
    // Valid JSON that Postgres could not store as jsonb (too deep) is refused, not acknowledged.
    const deep = JSON.stringify([event(contacts[2].id, { extra: 'DEEP' })]).replace('"DEEP"', '['.repeat(50_000) + ']'.repeat(50_000))
    expect(await deliver(deep)).toMatchObject({ status: 400 })
    const unsigned = await hook.POST(new Request(INTERNAL, { method: 'POST', body: JSON.stringify(batch) }))
    expect(unsigned.status).toBe(401)
    expect(await inbox()).toEqual(before)
  })

  it('an unknown portal is answered 200 and ignored', async () => {
    const before = await inbox()
    expect(await deliver([event(contacts[3].id, { portalId: 99999 })])).toEqual({ status: 200, body: { ok: true, received: 0, ignored: 'unknown-portal' } })
    expect(await inbox()).toEqual(before)
  })

  it('a portal connected just after its deliveries were ignored has the next one stored at once (no cached "unknown")', async () => {
    const portalId = 99_998
    expect(await deliver([event(contacts[4].id, { portalId })])).toMatchObject({ status: 200, body: { received: 0, ignored: 'unknown-portal' } })
    // Connected in another function instance, as on Vercel: nothing here clears the cache.
    const other = await createConnection(sql, {
      tenantId: await createTenant(sql), authMethod: 'private_app', portalId: String(portalId), apiBaseUrl: sandbox.url,
      credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: sandbox.token }), settings: { direction: 'pull' },
    })
    expect(await deliver([event(contacts[4].id, { portalId })])).toEqual({ status: 200, body: { ok: true, received: 1 } })
    // Stored for the new connection (the drain after the answer may have expanded it already).
    const [stored] = await sql`select (select count(*)::int from webhook_deliveries where connection_id = ${other.id}) as deliveries,
                                      (select count(*)::int from webhook_events where connection_id = ${other.id}) as events`
    expect(stored.deliveries + stored.events).toBeGreaterThan(0)
  })

  it('a body with characters Postgres cannot store in jsonb is acknowledged and applied, not left to block the inbox', async () => {
    const id = contacts[4].id
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'Odd bytes' } })
    const before = await inbox()
    const body = JSON.stringify([event(id, { propertyValue: 'Odd\u0000bytes \ud800' })])
    expect(await deliver(body)).toEqual({ status: 200, body: { ok: true, received: 1 } })
    expect((await jobTitle(id)).job_title).toBe('Odd bytes')
    expect(await inbox()).toEqual({ events: before.events + 1, deliveries: 0, total: before.total + 1 })
    const [stored] = await sql`select payload from webhook_events where connection_id = ${connection} order by id desc limit 1`
    expect(stored.payload.propertyValue).toBe('Odd\ufffdbytes \ufffd')
  })

  it('deliveries stored in the earlier format (prepared events) are still expanded, and deduplicated by their keys', async () => {
    const before = await inbox()
    const e = { ...event(contacts[5].id), eventId: 900_001 }
    const k = `${e.subscriptionType}:${e.objectId}:${e.eventId}:${e.occurredAt}:${e.propertyName}`
    const legacy = JSON.stringify([{ k, t: e.subscriptionType, o: 'contact', i: String(e.objectId), at: e.occurredAt, p: e }])
    await sql`insert into webhook_deliveries (tenant_id, connection_id, events, event_count) values (${tenant}, ${connection}, ${legacy}, 1)`
    await processPendingWebhooks(sql, connection)
    expect(await inbox()).toEqual({ events: before.events + 1, deliveries: 0, total: before.total + 1 })
    // The same event redelivered now, its ids as strings: the same key, nothing new.
    expect((await deliver([{ ...e, objectId: String(e.objectId), attemptNumber: 2 }])).status).toBe(200)
    expect(await inbox()).toEqual({ events: before.events + 1, deliveries: 0, total: before.total + 1 })
  })

  it('verifies the bytes HubSpot signed, even where they are not valid UTF-8', async () => {
    const id = contacts[1].id
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'Signed bytes' } })
    const text = JSON.stringify([event(id, { propertyValue: 'caf\u00e9 X' })])
    // A lone 0xFF byte where "X" was: decoded and re-encoded it would become EF BF BD and the signature would not match.
    const bytes = Buffer.from(text, 'utf8')
    bytes[bytes.indexOf('X')] = 0xff
    expect(await deliver(bytes)).toEqual({ status: 200, body: { ok: true, received: 1 } })
    expect((await jobTitle(id)).job_title).toBe('Signed bytes')
  })
})
