import { beforeAll, describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { disableWebhooks, enableWebhooks } from '../../lib/crm/webhooks/manage'
import { getConnection } from '../../lib/store/connections'
import { getWebhookStatus } from '../../lib/store/webhook-events'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { serveHandler, webhookHandler } from './helpers'

// The whole loop: a rep edits in the sandbox, the sandbox delivers signed batches to a
// loopback server that hands them to the route's handler, and the rows change in
// Postgres with no pull. Subscriptions are registered by enable-webhooks itself.
const sql = testSql()
// Its merge is the keep-id one; merges-new-id.test.ts follows a new-id merge's webhook.
const sandbox = await testSandbox({ contacts: 20, companies: 5, deals: 5, owners: 2, seed: 21, config: { mergeNewId: false } })
let hook: ReturnType<typeof webhookHandler>
const target = await serveHandler((req) => hook.POST(req))
hook = webhookHandler(sql, target.url)

let connection: string
let contacts: Array<{ id: string }>
let companies: Array<{ id: string }>
const settle = async () => {
  await control(sandbox, 'POST', '/webhooks/flush', { timeoutMs: 10_000 })
  await hook.settled()
}
const local = async (type: 'contacts' | 'companies', remoteId: string) => {
  const [row] = await sql`select t.*, l.remote_id from ${sql(type)} t join crm_links l on l.local_id = t.id
                           where l.connection_id = ${connection} and l.remote_id = ${remoteId}`
  return row
}

describe('webhooks, live from the sandbox', () => {
  beforeAll(async () => {
    const tenant = await createTenant(sql)
    connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    await runSync(sql, { connectionId: connection, trigger: 'initial' })
    contacts = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=100')).results
    companies = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/companies?limit=100')).results
  })

  it('enable-webhooks registers the target and the subscriptions in the sandbox', async () => {
    const result = await enableWebhooks(sql, (await getConnection(sql, connection))!, target.url)
    expect(result.targetUrl).toBe(`${target.url}/api/webhooks/hubspot`)
    expect(result.registration).toMatchObject({ app: 'sandbox', targetUrl: result.targetUrl })
    const subs = await fetch(`${sandbox.url}/webhooks/v3/${sandbox.appId}/subscriptions?hapikey=${sandbox.developerApiKey}`).then((r) => r.json())
    const types = new Set(subs.results.filter((s: { active: boolean }) => s.active).map((s: { eventType: string }) => s.eventType))
    for (const t of ['contact.creation', 'contact.deletion', 'contact.merge', 'contact.restore', 'contact.associationChange', 'contact.propertyChange', 'deal.propertyChange']) {
      expect(types.has(t)).toBe(true)
    }
    // Again: nothing new to create.
    expect((await enableWebhooks(sql, (await getConnection(sql, connection))!, target.url)).registration).toMatchObject({ created: 0 })
    expect(result.status.enabled).toBe(true)
  })

  it("a rep's edit in the sandbox appears in Postgres without any pull", async () => {
    const id = contacts[0].id
    await control(sandbox, 'DELETE', '/stats')
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'Edited by a rep', firstname: 'Repdit' } })
    await settle()
    expect(await local('contacts', id)).toMatchObject({ job_title: 'Edited by a rep', first_name: 'Repdit' })
    const { calls } = await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')
    expect(Object.keys(calls).filter((k) => k.includes('/search') || k === 'GET /crm/v3/objects/contacts')).toEqual([])
    const [run] = await sql`select trigger, status from sync_runs where connection_id = ${connection} and trigger = 'webhook' order by id desc limit 1`
    expect(run).toEqual({ trigger: 'webhook', status: 'success' })
  })

  it('creation, deletion and restore follow the CRM', async () => {
    const created = await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: 'new.lead@example.com', firstname: 'Newly' } })
    await settle()
    expect(await local('contacts', created.id)).toMatchObject({ first_name: 'Newly', archived_at: null })
    await control(sandbox, 'DELETE', `/rep/contacts/${created.id}`)
    await settle()
    expect((await local('contacts', created.id)).archived_at).not.toBeNull()
    await control(sandbox, 'POST', `/rep/contacts/${created.id}/restore`)
    await settle()
    expect((await local('contacts', created.id)).archived_at).toBeNull()
  })

  it('a merge leaves one local record', async () => {
    const [primary, merged] = [contacts[5].id, contacts[6].id]
    await control(sandbox, 'POST', '/rep/contacts/merge', { primaryObjectId: primary, objectIdToMerge: merged })
    await settle()
    expect(await local('contacts', merged)).toBeUndefined()
    expect(await local('contacts', primary)).toMatchObject({ archived_at: null })
  })

  it('an association change re-reads both ends', async () => {
    // A contact without a company: its first association becomes its company.
    const rows = await sql`select l.remote_id from contacts c join crm_links l on l.local_id = c.id
                            where l.connection_id = ${connection} and c.company_id is null and c.archived_at is null limit 1`
    const contact = rows[0].remote_id as string
    const company = companies[0].id
    await control(sandbox, 'PUT', `/rep/associations/contacts/${contact}/companies/${company}`)
    await settle()
    const [event] = await sql`select processed_at from webhook_events where connection_id = ${connection}
                               and subscription_type = 'contact.associationChange' and object_id = ${contact}`
    expect(event.processed_at).toBeInstanceOf(Date)
    expect((await local('contacts', contact)).company_id).toBe((await local('companies', company)).id)
  })

  it('webhook-status counts what arrived; disable-webhooks stops deliveries', async () => {
    const status = await getWebhookStatus(sql, connection)
    expect(status).toMatchObject({ enabled: true, pending: 0, failed: 0 })
    expect(status!.totalReceived).toBeGreaterThan(3)
    expect(status!.lastReceivedAt).toBeInstanceOf(Date)
    const off = await disableWebhooks(sql, (await getConnection(sql, connection))!)
    expect(off.status.enabled).toBe(false)
    expect(off.paused).toBeGreaterThan(0)
    await control(sandbox, 'PATCH', `/rep/contacts/${contacts[1].id}`, { properties: { jobtitle: 'Nobody hears this' } })
    await settle()
    expect((await getWebhookStatus(sql, connection))!.totalReceived).toBe(status!.totalReceived)
  })
})
