import { expect, it } from 'vitest'
import { syncDueConnections } from '../../lib/crm/cron'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 5, seed: 4 })
const PUBLIC = 'https://hooks.syncline.test'

it('events whose after() never ran are applied by the next cron', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  // Not due for a scheduled sync: only the safety net can apply the event. Connections
  // left by earlier test files (their sandboxes gone) are paused so the cron's budget is ours.
  await sql`update crm_connections set next_sync_at = now() + interval '1 day'`
  await sql`update crm_connections set status = 'paused' where id <> ${connection} and status = 'active'`
  const [contact] = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1')).results
  await control(sandbox, 'PATCH', `/rep/contacts/${contact.id}`, { properties: { jobtitle: 'Applied by the cron' } })

  const hook = webhookHandler(sql, PUBLIC, { process: false }) // the function died right after answering
  const body = JSON.stringify([{ eventId: 1, subscriptionId: 1, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(contact.id), changeSource: 'CRM_UI',
    propertyName: 'jobtitle', propertyValue: 'Applied by the cron' }])
  expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, body))).status).toBe(200)

  const report = await syncDueConnections(sql, { budgetMs: 60_000 })
  expect(report.results).toEqual([])
  expect(report.webhooks).toContainEqual(expect.objectContaining({ connectionId: connection, status: 'processed' }))
  const [row] = await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id
                           where l.connection_id = ${connection} and l.remote_id = ${contact.id}`
  expect(row.job_title).toBe('Applied by the cron')
})
