import { expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// A mapped column the host app renamed: webhook events that cannot be applied say which
// column, as a run does (not Postgres's "column t.job_title does not exist" alone), and apply
// once it is back. The test renames it in the run's own database, and back in `finally`.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, owners: 1, seed: 62 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

it("webhook events that meet a renamed mapped column fail naming it, and apply once it is back", async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant)
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  const { results: [contact] } = await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1')
  await control(sandbox, 'PATCH', `/rep/contacts/${contact.id}`, { properties: { jobtitle: 'Renamed meanwhile' } })
  const events = [{
    eventId: 71_000, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(contact.id), changeSource: 'CRM_UI', propertyName: 'jobtitle',
  }]
  expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(events)))).status).toBe(200)
  await sql`alter table contacts rename column job_title to title`
  try {
    const summary = await processPendingWebhooks(sql, connection)
    expect(summary).toMatchObject({ status: 'failed', failedEvents: 1 })
    expect(summary.error).toMatch(/^\[schema\] the app's schema changed: column contacts\.job_title does not exist/)
    // HubSpot was not read for it: every drain while the schema is broken costs one query.
    const [run] = await sql`select api_calls, status from sync_runs where connection_id = ${connection} and trigger = 'webhook' order by id desc limit 1`
    expect(run).toMatchObject({ api_calls: 0, status: 'failed' })
  } finally {
    await sql`alter table contacts rename column title to job_title`
  }
  expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
  const [row] = await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id
                           where l.connection_id = ${connection} and l.remote_id = ${contact.id}`
  expect(row.job_title).toBe('Renamed meanwhile')
})
