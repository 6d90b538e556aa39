import { beforeEach, describe, expect, it } from 'vitest'
import { POST as disable } from '../../app/api/v1/crm-integration/[id]/disable-webhooks/route'
import { POST as enable } from '../../app/api/v1/crm-integration/[id]/enable-webhooks/route'
import { POST as retry } from '../../app/api/v1/crm-integration/[id]/retry-webhooks/route'
import { GET as webhookStatus } from '../../app/api/v1/crm-integration/[id]/webhook-status/route'
import { GET as dashboardStatus } from '../../app/api/crm/status/route'
import { disconnectConnection } from '../../lib/store/connections'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { APP_URL, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'
import { testSandbox } from '../helpers/sandbox'

// The routes under /api/v1/crm-integration/:id through their route files. (That retried
// events are applied is shown in tests/webhooks/process.test.ts.)

const sql = testSql()
const sandbox = await testSandbox({ contacts: 1, seed: 2 })
useAppEnv(sandbox)

let connection: string
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await insertConnection(sql, LOCAL_TENANT_ID)
})

const call = (id: string) => retry(new Request(`${APP_URL}/api/v1/crm-integration/${id}/retry-webhooks`, { method: 'POST' }), { params: Promise.resolve({ id }) })

describe('POST /api/v1/crm-integration/:id/retry-webhooks', () => {
  it('with nothing failed, retries nothing and answers the status', async () => {
    const res = await call(connection)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ retried: 0, status: { failed: 0, pending: 0 } })
  })

  it("another workspace's connection, or an id that is not one, is a 404 and changes nothing", async () => {
    const other = await insertConnection(sql, await createTenant(sql))
    await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, occurred_at, payload, attempts)
              select tenant_id, id, 'k', 'contact.propertyChange', now(), '{}', 5 from crm_connections where id = ${other}`
    const before = await snapshot(sql)
    for (const id of [other, 'not-a-uuid']) {
      const res = await call(id)
      expect(res.status).toBe(404)
      expect((await res.json()).error.code).toBe('not_found')
    }
    expect(await snapshot(sql)).toEqual(before)
    const [e] = await sql`select attempts from webhook_events where connection_id = ${other}`
    expect(e.attempts).toBe(5)
  })
})

describe('enable-webhooks and disable-webhooks for a connection made in the dashboard', () => {
  // Such a connection stores no base URL: it follows HUBSPOT_API_BASE_URL, here (as in dev) the sandbox's.
  it("register and pause the subscriptions with the sandbox HUBSPOT_API_BASE_URL points at", async () => {
    const [row] = await sql`select api_base_url from crm_connections where id = ${connection}`
    expect(row.api_base_url).toBeNull()
    const params = { params: Promise.resolve({ id: connection }) }
    const req = (action: string) => new Request(`${APP_URL}/api/v1/crm-integration/${connection}/${action}`, { method: 'POST' })
    const active = async () => {
      const subs = await fetch(`${sandbox.url}/webhooks/v3/${sandbox.appId}/subscriptions?hapikey=${sandbox.developerApiKey}`).then((r) => r.json())
      return new Set(subs.results.filter((s: { active: boolean }) => s.active).map((s: { eventType: string }) => s.eventType))
    }

    const enabled = await enable(req('enable-webhooks'), params)
    expect(enabled.status).toBe(200)
    const body = await enabled.json()
    expect(body.registration).toMatchObject({ app: 'sandbox', targetUrl: `${APP_URL}/api/webhooks/hubspot` })
    expect(body.status.enabled).toBe(true)
    for (const t of ['contact.propertyChange', 'contact.associationChange', 'deal.associationChange']) expect(await active()).toContain(t)

    const disabled = await disable(req('disable-webhooks'), params)
    expect(disabled.status).toBe(200)
    const off = await disabled.json()
    expect(off.paused).toBeGreaterThan(0)
    expect(off.status.enabled).toBe(false)
    expect(await active()).toEqual(new Set())
  })
})

describe('GET /api/v1/crm-integration/:id/webhook-status says real-time is on when the card does', () => {
  // A new connection takes deliveries (and they are applied) without anyone pressing Turn on:
  // the card said "Real-time updates on" while this answered `enabled: false` (the stored column).
  it('on for a new connection never turned on here, off once disabled; the stored column as turnedOnHere', async () => {
    const params = { params: Promise.resolve({ id: connection }) }
    const req = (action: string, method = 'POST') => new Request(`${APP_URL}/api/v1/crm-integration/${connection}/${action}`, { method })
    const read = async () => (await webhookStatus(req('webhook-status', 'GET'), params)).json()
    const card = async () => (await (await dashboardStatus()).json()).connections[0].webhooks

    expect(await read()).toMatchObject({ enabled: true, state: 'waiting', turnedOnHere: false, accepting: true, verifiable: true })
    expect(await card()).toMatchObject({ enabled: true, state: 'waiting', turnedOnHere: false })

    const off = await (await disable(req('disable-webhooks'), params)).json()
    expect(off.status).toMatchObject({ enabled: false, state: 'off', turnedOnHere: false, accepting: false })
    expect(await read()).toMatchObject({ enabled: false, state: 'off' })
    expect(await card()).toMatchObject({ enabled: false, state: 'off' })
  })
})

describe('a disconnected connection, under /api/v1/crm-integration/:id', () => {
  it('is a 409 saying to reconnect, as for settings and sync, and webhooks stay off', async () => {
    expect(await disconnectConnection(sql, LOCAL_TENANT_ID, connection)).toBe(true)
    const webhooks = async () => (await sql`select webhooks_enabled, webhooks_disabled_at from crm_connections where id = ${connection}`)[0]
    const [before, row] = [await snapshot(sql), await webhooks()]
    const params = { params: Promise.resolve({ id: connection }) }
    const req = (action: string, method = 'POST') => new Request(`${APP_URL}/api/v1/crm-integration/${connection}/${action}`, { method })
    for (const res of [await enable(req('enable-webhooks'), params), await disable(req('disable-webhooks'), params),
      await retry(req('retry-webhooks'), params), await webhookStatus(req('webhook-status', 'GET'), params)]) {
      expect(res.status).toBe(409)
      expect((await res.json()).error).toEqual({ code: 'disconnected', message: expect.stringMatching(/^This connection is disconnected: connect the same HubSpot portal again/) })
    }
    expect(await snapshot(sql)).toEqual(before)
    expect(await webhooks()).toEqual(row)
    expect(row.webhooks_enabled).toBe(false)
  })
})
