import { beforeAll, describe, expect, it } from 'vitest'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { POST as disconnect } from '../../app/api/crm/disconnect/route'
import { PATCH as patchLead } from '../../app/api/crm/leads/[id]/route'
import { POST as resend } from '../../app/api/crm/leads/[id]/resend/route'
import { POST as pushUnlinked } from '../../app/api/crm/push-unlinked/route'
import { POST as settings } from '../../app/api/crm/settings/route'
import { GET as status } from '../../app/api/crm/status/route'
import { POST as sync } from '../../app/api/crm/sync/route'
import { POST as disable } from '../../app/api/v1/crm-integration/[id]/disable-webhooks/route'
import { POST as enable } from '../../app/api/v1/crm-integration/[id]/enable-webhooks/route'
import { POST as retry } from '../../app/api/v1/crm-integration/[id]/retry-webhooks/route'
import { GET as webhookStatus } from '../../app/api/v1/crm-integration/[id]/webhook-status/route'
import { runSync } from '../../lib/crm/sync-service'
import { upsertConflicts } from '../../lib/store/conflicts'
import { disconnectConnection } from '../../lib/store/connections'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { APP_URL, jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

// Every route that takes an id answers 404 for another workspace's record or connection,
// the same answer as for an id that names nothing, and changes nothing of either workspace.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 0, deals: 0, owners: 1, seed: 64 })
useAppEnv(sandbox)

const other = { tenant: '', connection: '', lead: '', deletedLead: '', conflict: 0 }
let mine: string
beforeAll(async () => {
  await resetLocalWorkspace(sql)
  mine = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID)
  other.tenant = await createTenant(sql, 'Another workspace')
  other.connection = await sandboxConnection(sql, sandbox, other.tenant, { direction: 'pull' })
  await runSync(sql, { connectionId: other.connection, trigger: 'manual' })
  const [a, b] = await sql`select local_id from crm_links where connection_id = ${other.connection} and object_type = 'contact' order by local_id limit 2`
  other.lead = a.local_id
  // One of its leads HubSpot deleted: the one "Send to HubSpot again" takes.
  other.deletedLead = b.local_id
  await sql`update crm_links set archived_at = now() where connection_id = ${other.connection} and local_id = ${other.deletedLead}`
  await upsertConflicts(sql, other.tenant, other.connection, 'contact', [{
    localId: other.lead, remoteId: 'x', fields: ['jobTitle'], local: { jobTitle: null }, remote: { jobTitle: 'from HubSpot' },
  }])
  const [k] = await sql`select id from sync_conflicts where tenant_id = ${other.tenant}`
  other.conflict = Number(k.id)
  await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, occurred_at, payload, attempts)
            values (${other.tenant}, ${other.connection}, 'k', 'contact.propertyChange', now(), '{}', 5)`
})

/** Everything of a workspace a route could change, as one fingerprint. */
async function stateOf(tenantId: string): Promise<string> {
  const tables = ['crm_connections', 'contacts', 'crm_links', 'sync_conflicts', 'crm_outbox', 'sync_runs', 'webhook_events']
  const parts = await Promise.all(tables.map(async (t) =>
    (await sql`select coalesce(md5(string_agg(x::text, ',' order by x::text)), '') as h from ${sql(t)} x where tenant_id = ${tenantId}`)[0].h as string))
  return parts.join('|')
}

const params = (id: string) => ({ params: Promise.resolve({ id }) })
const post = (path: string) => new Request(`${APP_URL}${path}`, { method: 'POST' })

type Case = [name: string, call: () => Promise<Response>, message: RegExp]
const cases: Case[] = [
  ['disconnect', () => disconnect(jsonRequest('/api/crm/disconnect', { connectionId: other.connection })), /^No such connection$/],
  ['Refresh CRM', () => sync(jsonRequest('/api/crm/sync', { connectionId: other.connection })), /^No such connection$/],
  ['Force sync of one type', () => sync(jsonRequest('/api/crm/sync', { connectionId: other.connection, objects: ['contact'], full: true })), /^No such connection$/],
  ['push-unlinked', () => pushUnlinked(jsonRequest('/api/crm/push-unlinked', { connectionId: other.connection })), /^No such connection$/],
  ['settings', () => settings(jsonRequest('/api/crm/settings', { connectionId: other.connection, settings: { direction: 'push' } })), /^No such connection$/],
  ['settings, deciding its waiting conflicts', () => settings(jsonRequest('/api/crm/settings', { connectionId: other.connection, settings: { conflictStrategy: 'field_merge' }, decideOpenConflicts: true })), /^No such connection$/],
  ['a decision on its conflict', () => resolve(jsonRequest('/x', { choices: { jobTitle: 'remote' } }), params(String(other.conflict))), /^no conflict \d+$/],
  ['an edit of its lead', () => patchLead(jsonRequest('/x', { jobTitle: 'Taken over' }, { method: 'PATCH' }), params(other.lead)), /^No such lead/],
  ['Send to HubSpot again for its deleted lead', () => resend(post('/x'), params(other.deletedLead)), /^No such lead deleted in HubSpot$/],
  ['enable-webhooks', () => enable(post('/x'), params(other.connection)), /^No such connection$/],
  ['disable-webhooks', () => disable(post('/x'), params(other.connection)), /^No such connection$/],
  ['retry-webhooks', () => retry(post('/x'), params(other.connection)), /^No such connection$/],
  ['webhook-status (a read: nothing of it leaks)', () => webhookStatus(new Request(`${APP_URL}/x`), params(other.connection)), /^No such connection$/],
]

describe("another workspace's ids", () => {
  it.each(cases)('%s: 404, and neither workspace changes', async (_name, call, message) => {
    const before = [await stateOf(other.tenant), await stateOf(LOCAL_TENANT_ID)]
    const res = await call()
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(body).toEqual({ error: { code: 'not_found', message: expect.stringMatching(message) } })
    expect([await stateOf(other.tenant), await stateOf(LOCAL_TENANT_ID)]).toEqual(before)
  })
})

describe("the dashboard's status (GET /api/crm/status)", () => {
  it("lists this workspace's connection and leads only: no id, count or conflict of another's", async () => {
    const res = await status()
    expect(res.status).toBe(200)
    const text = await res.text()
    const body = JSON.parse(text)
    expect(body.connections.map((c: { id: string }) => c.id)).toEqual([mine])
    expect(body.connections[0].openConflicts).toBe(0)
    for (const id of [other.connection, other.lead, other.deletedLead, other.tenant]) expect(text).not.toContain(id)
    // The other workspace's writes do not move this one's cue. (Its value is this workspace's
    // own history, which other files' tests of the local workspace add to: not a fixed number.)
    await sql`update contacts set job_title = coalesce(job_title, '') || 'x' where tenant_id = ${other.tenant}`
    expect((await (await status()).json()).leadChanges).toBe(body.leadChanges)
  })
})

describe('Refresh CRM refuses, with the reason, a connection it cannot sync', () => {
  type Refusal = [name: string, prepare: () => Promise<unknown>, body: () => Record<string, unknown>, status: number, code: string, message: RegExp]
  const refusals: Refusal[] = [
    ['one that needs reconnecting', () => sql`update crm_connections set status = 'needs_reauth' where id = ${mine}`, () => ({ connectionId: mine }), 409, 'needs_reauth', /^Reconnect this CRM before syncing$/],
    ['a type turned off, asked by name', () => sql`update crm_connections set settings = settings || '{"entities": {"deal": false}}' where id = ${mine}`, () => ({ connectionId: mine, objects: ['contact', 'deal'] }), 409, 'turned_off', /^Turned off in this connection's sync settings: deal$/],
    ['one disconnected', () => disconnectConnection(sql, LOCAL_TENANT_ID, mine), () => ({ connectionId: mine }), 409, 'disconnected', /^This connection is disconnected: connect the same HubSpot portal again/],
    ['all, with none connected', () => disconnectConnection(sql, LOCAL_TENANT_ID, mine), () => ({}), 409, 'no_connection', /^Connect a CRM first$/],
  ]
  it.each(refusals)('%s', async (_name, prepare, body, status, code, message) => {
    await prepare()
    const before = await snapshot(sql)
    const res = await sync(jsonRequest('/api/crm/sync', body()))
    expect(res.status).toBe(status)
    expect((await res.json()).error).toEqual({ code, message: expect.stringMatching(message) })
    expect(await snapshot(sql)).toEqual(before)
    await sql`update crm_connections set status = 'active', settings = settings - 'entities' where id = ${mine}`
  })
})

// Every route that acts on one connection gives the same two answers when it cannot: 404 for
// an id that names no connection of this workspace, 409 saying to reconnect for one that is
// disconnected (Refresh CRM answered that 404 "No such connection" while push-unlinked
// answered 409, and the webhook routes 404 "No such CRM connection").
describe('one connection, by every route that takes it: none is a 404, disconnected a 409 saying to reconnect', () => {
  const routes: Array<[name: string, call: (id: string) => Promise<Response>]> = [
    ['Refresh CRM', (id) => sync(jsonRequest('/api/crm/sync', { connectionId: id }))],
    ['Force sync of one type', (id) => sync(jsonRequest('/api/crm/sync', { connectionId: id, objects: ['contacts'], full: true }))],
    ['push-unlinked', (id) => pushUnlinked(jsonRequest('/api/crm/push-unlinked', { connectionId: id }))],
    ['settings', (id) => settings(jsonRequest('/api/crm/settings', { connectionId: id, settings: { direction: 'push' } }))],
    ['settings, deciding its waiting conflicts', (id) => settings(jsonRequest('/api/crm/settings', { connectionId: id, settings: { conflictStrategy: 'field_merge' }, decideOpenConflicts: true }))],
    ['disconnect', (id) => disconnect(jsonRequest('/api/crm/disconnect', { connectionId: id }))],
    ['enable-webhooks', (id) => enable(post('/x'), params(id))],
    ['disable-webhooks', (id) => disable(post('/x'), params(id))],
    ['retry-webhooks', (id) => retry(post('/x'), params(id))],
    ['webhook-status', (id) => webhookStatus(new Request(`${APP_URL}/x`), params(id))],
  ]

  it.each(routes)('%s', async (_name, call) => {
    const nothing = await call('3f1f8b9e-5d8a-4a53-9c1e-0a4b7b0c9d11')
    expect([nothing.status, (await nothing.json()).error]).toEqual([404, { code: 'not_found', message: 'No such connection' }])

    await sql`update crm_connections set status = 'disconnected' where id = ${mine}`
    try {
      const before = await stateOf(LOCAL_TENANT_ID)
      const res = await call(mine)
      expect([res.status, (await res.json()).error]).toEqual([409, {
        code: 'disconnected', message: 'This connection is disconnected: connect the same HubSpot portal again from the dashboard to bring it back',
      }])
      expect(await stateOf(LOCAL_TENANT_ID)).toEqual(before)
    } finally {
      await sql`update crm_connections set status = 'active' where id = ${mine}`
    }
  })
})
