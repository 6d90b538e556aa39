import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, Signature } from '@hubspot/api-client'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { signV1, signV2, signV3, verifyV3 } from '../../sandbox/hubspot/webhooks/signature.js'
import { verifyHubSpotSignature } from '../../lib/crm/webhooks/hubspot/verify.js'
import { control, sdk, startSandbox } from './helpers.js'

interface Delivery { headers: Record<string, string>; body: string; events: any[] }

/** A webhook target on port 0 that records deliveries; `failNext` makes it answer 500. */
async function receiver() {
  const deliveries: Delivery[] = []
  const state = { failNext: 0 }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      if (state.failNext > 0) {
        state.failNext--
        res.writeHead(500).end()
        return
      }
      deliveries.push({ headers: req.headers as Record<string, string>, body, events: JSON.parse(body) })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/hubspot`
  return { url, deliveries, state, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe('webhook signatures', () => {
  const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy'
  const v1Body = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'

  it("matches HubSpot's published v1 and v2 test vectors", () => {
    expect(signV1(secret, v1Body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de')
    expect(signV2(secret, 'GET', 'https://www.example.com/webhook_uri', '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e')
    expect(signV2(secret, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}')).toBe('9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900')
  })

  it('matches the v3 vectors and the SDK accepts a fresh v3 signature', () => {
    expect(signV3(secret, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}', 1564113600000)).toBe('eT0ip2TKVpsIi1vb5C2Uu42eNdHL+oTE3NRZOF67O2U=')
    expect(signV3(secret, 'POST', 'https://www.example.com/webhook_uri', v1Body, 1564113600000)).toBe('DxmVAjFNa2xfF3YgQjdZP6TNcok9k1oaH7UXombPtvw=')
    const now = Date.now()
    const sig = signV3(secret, 'POST', 'https://example.com/hooks', v1Body, now)
    expect(Signature.isValid({ signature: sig, clientSecret: secret, requestBody: v1Body, signatureVersion: 'v3', url: 'https://example.com/hooks', method: 'POST', timestamp: now })).toBe(true)
  })

  it('rejects a stale v3 timestamp (older than 5 minutes)', () => {
    const old = Date.now() - 5 * 60 * 1000 - 1
    const sig = signV3(secret, 'POST', 'https://example.com/hooks', v1Body, old)
    expect(() => Signature.isValid({ signature: sig, clientSecret: secret, requestBody: v1Body, signatureVersion: 'v3', url: 'https://example.com/hooks', method: 'POST', timestamp: old })).toThrow(/Timestamp is invalid/)
    expect(verifyV3({ clientSecret: secret, method: 'POST', uri: 'https://example.com/hooks', body: v1Body, signature: sig, timestamp: old, now: Date.now() })).toEqual({ ok: false, error: 'stale-timestamp' })
  })
})

describe('webhook delivery', () => {
  let sb: HubSpotSandbox
  let target: Awaited<ReturnType<typeof receiver>>
  beforeAll(async () => {
    target = await receiver()
    sb = await startSandbox({ webhookUrl: target.url, config: { webhookRetryDelaysMs: [10], webhookBatchDelayMs: 5, mergeNewId: false } })
  })
  afterAll(async () => {
    await sb.close()
    await target.close()
  })

  const flush = async () => expect((await control(sb, 'POST', '/webhooks/flush', { timeoutMs: 10_000 })).body.done).toBe(true)
  const all = () => target.deliveries.flatMap((d) => d.events)

  it('delivers creation and propertyChange events from API writes as INTEGRATION, signed v1 and v3', async () => {
    const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'hook@x.com', firstname: 'Hook' }, associations: [] })
    await flush()
    const events = all().filter((e) => e.objectId === Number(c.id))
    expect(events.map((e) => e.subscriptionType).sort()).toEqual(['contact.creation', 'contact.propertyChange', 'contact.propertyChange'])
    const creation = events.find((e) => e.subscriptionType === 'contact.creation')
    expect(creation).toMatchObject({ portalId: sb.portalId, appId: sb.appId, attemptNumber: 0, changeSource: 'INTEGRATION', changeFlag: 'NEW' })
    expect(typeof creation.occurredAt).toBe('number')
    expect(events.find((e) => e.propertyName === 'firstname')).toMatchObject({ propertyValue: 'Hook' })
    const d = target.deliveries.at(-1)!
    expect(d.headers['x-hubspot-signature']).toBe(signV1(sb.clientSecret, d.body))
    expect(d.headers['x-hubspot-signature-version']).toBe('v1')
    expect(Signature.isValid({ signature: d.headers['x-hubspot-signature-v3'], clientSecret: sb.clientSecret, requestBody: d.body, signatureVersion: 'v3', url: target.url, method: 'POST', timestamp: Number(d.headers['x-hubspot-request-timestamp']) })).toBe(true)
  })

  it("reports a rep's edit in the HubSpot UI as CRM_UI with the rep's user id", async () => {
    const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'rep@x.com' }, associations: [] })
    await control(sb, 'PATCH', `/rep/contacts/${c.id}`, { properties: { jobtitle: 'VP Sales' } })
    await flush()
    const ev = all().find((e) => e.objectId === Number(c.id) && e.propertyName === 'jobtitle')
    expect(ev).toMatchObject({ changeSource: 'CRM_UI', propertyValue: 'VP Sales', subscriptionType: 'contact.propertyChange' })
  })

  it('delivers deletion, restore and merge events', async () => {
    const a = await sdk(sb).crm.companies.basicApi.create({ properties: { name: 'A Co' }, associations: [] })
    const b = await sdk(sb).crm.companies.basicApi.create({ properties: { name: 'B Co' }, associations: [] })
    await control(sb, 'DELETE', `/rep/companies/${b.id}`)
    await control(sb, 'POST', `/rep/companies/${b.id}/restore`)
    await control(sb, 'POST', '/rep/companies/merge', { primaryObjectId: a.id, objectIdToMerge: b.id })
    await flush()
    const types = all().filter((e) => e.objectId === Number(b.id) || e.objectId === Number(a.id)).map((e) => e.subscriptionType)
    expect(types).toEqual(expect.arrayContaining(['company.deletion', 'company.restore', 'company.merge']))
    expect(all().find((e) => e.subscriptionType === 'company.merge')).toMatchObject({ primaryObjectId: Number(a.id), mergedObjectIds: [Number(b.id)], newObjectId: Number(a.id) })
  })

  it('with mergeNewId, a contact merge event names the primary, the merged id and the new record', async () => {
    const client = sdk(sb)
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 'new-id-a@x.com' }, associations: [] })
    const b = await client.crm.contacts.basicApi.create({ properties: { email: 'new-id-b@x.com' }, associations: [] })
    await control(sb, 'PATCH', '/config', { mergeNewId: true })
    try {
      const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id })
      await flush()
      expect(merged.id).not.toBe(a.id)
      expect(all().find((e) => e.subscriptionType === 'contact.merge' && e.primaryObjectId === Number(a.id))).toMatchObject({
        objectId: Number(a.id), mergedObjectIds: [Number(b.id)], newObjectId: Number(merged.id), changeFlag: 'MERGED', changeSource: 'INTEGRATION',
      })
    } finally {
      await control(sb, 'PATCH', '/config', { mergeNewId: false })
    }
  })

  it('retries a failed delivery with an increasing attemptNumber', async () => {
    target.state.failNext = 2
    const c = await sdk(sb).crm.deals.basicApi.create({ properties: { dealname: 'Retry me', dealstage: 'closedwon', pipeline: 'default' }, associations: [] })
    await flush()
    const ev = all().find((e) => e.objectId === Number(c.id) && e.subscriptionType === 'deal.creation')
    expect(ev.attemptNumber).toBe(2)
  })

  it('sends at most 100 events per request', async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => ({ properties: { email: `bulk${i}@x.com`, firstname: 'B', lastname: 'K' } }))
    const before = target.deliveries.length
    await sdk(sb).crm.contacts.batchApi.create({ inputs } as any)
    await flush()
    const sent = target.deliveries.slice(before)
    expect(sent.reduce((n, d) => n + d.events.length, 0)).toBe(400)
    expect(Math.max(...sent.map((d) => d.events.length))).toBeLessThanOrEqual(100)
  })

  it('a batch already waiting goes out on the new delay when PATCH /_sandbox/config changes it', async () => {
    await control(sb, 'PATCH', '/config', { webhookBatchDelayMs: 600_000 })
    try {
      const before = target.deliveries.length
      const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'stalled@x.com' }, associations: [] })
      await new Promise((r) => setTimeout(r, 200))
      expect(target.deliveries.length).toBe(before)
      const changedAt = Date.now()
      await control(sb, 'PATCH', '/config', { webhookBatchDelayMs: 50 })
      await expect.poll(() => all().some((e) => e.objectId === Number(c.id)), { timeout: 2_000, interval: 20 }).toBe(true)
      expect(Date.now() - changedAt).toBeLessThan(2_000)
      // Raised again, a waiting batch waits the longer delay from when it started waiting.
      await control(sb, 'PATCH', '/config', { webhookBatchDelayMs: 400 })
      const d = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'later@x.com' }, associations: [] })
      await control(sb, 'PATCH', '/config', { webhookBatchDelayMs: 600_000 })
      await new Promise((r) => setTimeout(r, 600))
      expect(all().some((e) => e.objectId === Number(d.id))).toBe(false)
    } finally {
      await control(sb, 'PATCH', '/config', { webhookBatchDelayMs: 5 })
    }
    await flush()
  })

  it('manages subscriptions through the SDK with the developer API key', async () => {
    const dev = new Client({ developerApiKey: sb.developerApiKey, basePath: sb.url })
    const created = await dev.webhooks.subscriptionsApi.create(sb.appId, { eventType: 'contact.associationChange' as any, active: true })
    expect(created.active).toBe(true)
    const list = await dev.webhooks.subscriptionsApi.getAll(sb.appId)
    expect(list.results.map((s) => s.id)).toContain(created.id)
    const settings = await dev.webhooks.settingsApi.getAll(sb.appId)
    expect(settings.targetUrl).toBe(target.url)
    await dev.webhooks.subscriptionsApi.archive(created.id as any, sb.appId)
  })
})

describe('webhook delivery after the sandbox clock moved (POST /_sandbox/clock)', () => {
  it("signs with the receiver's time, so the app's 5-minute check still accepts it", async () => {
    const target = await receiver()
    const sb = await startSandbox({ webhookUrl: target.url, config: { webhookBatchDelayMs: 5 } })
    try {
      const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'later@x.com' }, associations: [] })
      await control(sb, 'POST', '/clock', { advanceMs: 2 * 60 * 60 * 1000 })
      await control(sb, 'PATCH', `/rep/contacts/${c.id}`, { properties: { jobtitle: 'Two hours on' } })
      expect((await control(sb, 'POST', '/webhooks/flush', { timeoutMs: 10_000 })).body.done).toBe(true)
      const d = target.deliveries.find((x) => x.events.some((e) => e.propertyName === 'jobtitle'))!
      // The app's own check, which refuses a timestamp over a minute ahead of its clock.
      const headers = new Headers(d.headers)
      expect(verifyHubSpotSignature({ method: 'POST', uri: target.url, rawBody: d.body, headers }, { clientSecret: sb.clientSecret, allowV1: false }))
        .toEqual({ ok: true, version: 'v3' })
      // The event itself happened at the portal's (moved) time.
      expect(d.events.find((e) => e.propertyName === 'jobtitle').occurredAt).toBeGreaterThan(Date.now() + 60 * 60 * 1000)
    } finally {
      await sb.close()
      await target.close()
    }
  })
})
