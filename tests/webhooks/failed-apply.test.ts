import { expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { realtimeActivity, syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// HubSpot down while webhooks come in: the drain that cannot read a single record says it
// failed, its run is failed and counts the records, and the dashboard shows it.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 10, owners: 1, seed: 61 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

it('a drain whose every batch read fails is failed, counted and shown, and applies once HubSpot is back', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  const { results } = await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=5')
  await control(sandbox, 'PUT', '/faults', { rules: [{ kind: 'server_error', rate: 1, match: '^POST /crm/v3/objects/contacts/batch/read', status: 503 }] })
  for (const c of results) await control(sandbox, 'PATCH', `/rep/contacts/${c.id}`, { properties: { jobtitle: 'While HubSpot was down' } })
  const events = results.map((c, i) => ({
    eventId: 70_000 + i, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(c.id), changeSource: 'CRM_UI', propertyName: 'jobtitle',
  }))
  expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(events)))).status).toBe(200)

  const summary = await processPendingWebhooks(sql, connection)
  expect(summary).toMatchObject({ status: 'failed', events: 5, failedEvents: 5 })
  expect(summary.error).toMatch(/503/)
  const [run] = await sql`select status, failed, error, errors from sync_runs where connection_id = ${connection} and trigger = 'webhook'`
  expect(run).toMatchObject({ status: 'failed', failed: 5 })
  expect(run.error).toMatch(/503/)
  expect(await realtimeActivity(sql, tenant, connection)).toEqual([
    expect.objectContaining({ objectType: 'contact', applied: 0, failed: 5, error: expect.stringMatching(/503/) }),
  ])
  expect((await syncProblems(sql, tenant, connection)).map((p) => [p.direction, p.record])).toEqual([['pull', 'a batch of webhook events']])

  await control(sandbox, 'DELETE', '/faults')
  expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 5, failedEvents: 0 })
  const [applied] = await sql`select count(*)::int as n from contacts c join crm_links l on l.local_id = c.id
                               where l.connection_id = ${connection} and c.job_title = 'While HubSpot was down'`
  expect(applied.n).toBe(5)
  expect(await realtimeActivity(sql, tenant, connection)).toEqual([expect.objectContaining({ applied: 5, failed: 5, error: null })])
  expect(await syncProblems(sql, tenant, connection)).toEqual([])
})
