import { beforeAll, describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { retryFailedWebhooks } from '../../lib/crm/webhooks/manage'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { getConnection } from '../../lib/store/connections'
import { acquireLease, releaseLease } from '../../lib/store/lease'
import { expandDeliveries, getWebhookStatus, MAX_WEBHOOK_ATTEMPTS } from '../../lib/store/webhook-events'
import { toInboxEvents } from '../../lib/crm/webhooks/hubspot/events'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 60, seed: 5 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

let connection: string
let contacts: Array<{ id: string }>
const stats = () => control<{ calls: Record<string, number>; total: number }>(sandbox, 'GET', '/stats')

describe('processing stored webhook events', () => {
  beforeAll(async () => {
    const tenant = await createTenant(sql)
    connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
    contacts = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=100')).results
  })

  it('1,000 events for 50 objects cost at most a handful of batch reads', async () => {
    const objects = contacts.slice(0, 50)
    for (const c of objects) await control(sandbox, 'PATCH', `/rep/contacts/${c.id}`, { properties: { jobtitle: `Burst ${c.id}` } })
    const t0 = Date.now()
    const events = Array.from({ length: 1000 }, (_, i) => ({
      eventId: 10_000 + i, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: t0 + i,
      subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(objects[i % 50].id), changeSource: 'CRM_UI',
      propertyName: i % 2 ? 'jobtitle' : 'firstname', propertyValue: String(i),
    }))
    for (let i = 0; i < events.length; i += 100) {
      const res = await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(events.slice(i, i + 100))))
      expect(res.status).toBe(200)
    }
    await control(sandbox, 'DELETE', '/stats')
    const summary = await processPendingWebhooks(sql, connection)
    expect(summary).toMatchObject({ status: 'processed', events: 1000, failedEvents: 0 })
    expect(summary.counts.contact).toMatchObject({ fetched: 50, updated: 50 })
    const { calls } = await stats()
    expect(calls['POST /crm/v3/objects/contacts/batch/read']).toBeLessThanOrEqual(2)
    expect(Object.keys(calls).filter((k) => k.includes('search') || k === 'GET /crm/v3/objects/contacts')).toEqual([])
    const [left] = await sql`select count(*)::int as n from webhook_events where connection_id = ${connection} and processed_at is null`
    expect(left.n).toBe(0)
    const titles = await sql`select count(*)::int as n from contacts c join crm_links l on l.local_id = c.id
                              where l.connection_id = ${connection} and c.job_title like 'Burst %'`
    expect(titles[0].n).toBe(50)
    const [run] = await sql`select trigger, status, updated from sync_runs where connection_id = ${connection} and trigger = 'webhook'`
    expect(run).toEqual({ trigger: 'webhook', status: 'success', updated: 50 })
  })

  it('while a sync holds the lease, events stay pending for the next call', async () => {
    const id = contacts[55].id
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'After the sync' } })
    const e = [{ eventId: 50_000, portalId: sandbox.portalId, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', objectId: Number(id), propertyName: 'jobtitle' }]
    await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(e)))
    expect(await acquireLease(sql, connection, 'a-running-sync', 60_000)).toBe(true)
    expect((await processPendingWebhooks(sql, connection)).status).toBe('busy')
    await releaseLease(sql, connection, 'a-running-sync')
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 1 })
    const [row] = await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id
                             where l.connection_id = ${connection} and l.remote_id = ${id}`
    expect(row.job_title).toBe('After the sync')
  })

  it('events that failed every attempt stay failed until a person retries them, then apply', async () => {
    const id = contacts[56].id
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'Retried by a person' } })
    const e = [{ eventId: 60_000, portalId: sandbox.portalId, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', objectId: Number(id), propertyName: 'jobtitle' }]
    await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(e)))
    await expandDeliveries(sql, connection, toInboxEvents)
    // As if HubSpot had answered 502 to each of its attempts.
    await sql`update webhook_events set attempts = ${MAX_WEBHOOK_ATTEMPTS}, error = 'HubSpot 502: bad gateway'
               where connection_id = ${connection} and object_id = ${id}`
    const jobTitle = async () => (await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id
                                             where l.connection_id = ${connection} and l.remote_id = ${id}`)[0].job_title
    await processPendingWebhooks(sql, connection)
    expect(await jobTitle()).not.toBe('Retried by a person')
    expect(await getWebhookStatus(sql, connection)).toMatchObject({ failed: 1 })

    const scheduled: string[] = []
    const result = await retryFailedWebhooks(sql, (await getConnection(sql, connection))!, (c) => scheduled.push(c))
    expect(result).toMatchObject({ retried: 1, status: { failed: 0, pending: 1 } })
    expect(scheduled).toEqual([connection])
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 1, failedEvents: 0 })
    expect(await jobTitle()).toBe('Retried by a person')
    // Nothing left to retry: nothing is scheduled.
    expect((await retryFailedWebhooks(sql, (await getConnection(sql, connection))!, (c) => scheduled.push(c))).retried).toBe(0)
    expect(scheduled).toHaveLength(1)
  })
})
