import { expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// Events that arrive while a sync holds the connection's lease find it busy; the receiver's
// drain gives up after a few seconds. The sync applies them when it ends, rather than
// leaving them for the next delivery or the hourly cron.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 5, companies: 2, seed: 9 })
const PUBLIC = 'https://hooks.syncline.test'

async function editWaitingForTheLease(connection: string, jobTitle: string): Promise<string> {
  const [contact] = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1')).results
  await control(sandbox, 'PATCH', `/rep/contacts/${contact.id}`, { properties: { jobtitle: jobTitle } })
  forgetWebhookTargets() // each test's connection is new on the one sandbox portal
  const hook = webhookHandler(sql, PUBLIC, { process: false }) // stored; its drain found the lease busy and gave up
  const body = JSON.stringify([{ eventId: Date.now(), subscriptionId: 1, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(contact.id), changeSource: 'CRM_UI',
    propertyName: 'jobtitle', propertyValue: jobTitle }])
  expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, body))).status).toBe(200)
  return contact.id
}

const jobTitleOf = async (connection: string, remoteId: string) => (await sql`
  select c.job_title from contacts c join crm_links l on l.local_id = c.id
   where l.connection_id = ${connection} and l.object_type = 'contact' and l.remote_id = ${remoteId}`)[0]?.job_title

const waiting = async (connection: string) =>
  (await sql`select count(*)::int as n from webhook_events where connection_id = ${connection} and processed_at is null`)[0].n
  + (await sql`select count(*)::int as n from webhook_deliveries where connection_id = ${connection}`)[0].n

it('a sync applies the webhook events left waiting for its lease when it ends, whatever types it synced', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  await runSync(sql, { connectionId: connection, trigger: 'initial' })
  const remoteId = await editWaitingForTheLease(connection, 'Applied after the sync')
  expect(await waiting(connection)).toBe(1)

  // Companies only (a Force sync): the contact's edit can reach the app only from the inbox.
  const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['company'] })
  expect(summary.status).toBe('success')
  expect(await jobTitleOf(connection, remoteId)).toBe('Applied after the sync')
  expect(await waiting(connection)).toBe(0)
})

it('a dry run leaves them waiting: it writes nothing', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  await runSync(sql, { connectionId: connection, trigger: 'initial' })
  const remoteId = await editWaitingForTheLease(connection, 'Not applied by a dry run')
  await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['company'], dryRun: true })
  expect(await jobTitleOf(connection, remoteId)).not.toBe('Not applied by a dry run')
  expect(await waiting(connection)).toBe(1)
})
