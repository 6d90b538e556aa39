import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { panelStatus } from '../../components/panel-status'
import { connectionStatuses } from '../../lib/crm/status'
import { runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { realtimeActivity, syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// HubSpot down while webhooks come in: the drain that cannot read a single record says it
// failed, its run is failed and counts the records, and the dashboard shows it while they
// still fail, not once a later drain applied them. A record an apply could not write is
// shown until an apply (or a pull) writes it.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 10, owners: 1, seed: 61 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

/** The contact panel's status icon, as the dashboard gets it. */
async function contactIcon(tenant: string, connection: string) {
  const [c] = (await connectionStatuses(sql, tenant)).filter((x) => x.id === connection)
  return panelStatus(c.objects.contact, c.realtime.contact).status
}

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
  expect(await contactIcon(tenant, connection)).toBe('failed')
  expect((await syncProblems(sql, tenant, connection)).map((p) => [p.direction, p.record])).toEqual([['pull', 'a batch of webhook events']])

  await control(sandbox, 'DELETE', '/faults')
  expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 5, failedEvents: 0 })
  const [applied] = await sql`select count(*)::int as n from contacts c join crm_links l on l.local_id = c.id
                               where l.connection_id = ${connection} and c.job_title = 'While HubSpot was down'`
  expect(applied.n).toBe(5)
  // Applied: nothing is still failing, so the line says 0 failed (not the day's 5) and the icon is the sync's.
  expect(await realtimeActivity(sql, tenant, connection)).toEqual([expect.objectContaining({ applied: 5, failed: 0, error: null })])
  expect(await contactIcon(tenant, connection)).toBe('success')
  expect(await syncProblems(sql, tenant, connection)).toEqual([])
})

it('a record a webhook apply could not write stays counted and listed, whatever went through after, until an apply writes it', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  // The first test's connection, of the same portal, was the one live target the receiver cached.
  forgetWebhookTargets()
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  const [refusedId, otherId] = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=8')).results.slice(6).map((r) => r.id)
  // The app's own rule, added after the CRM's data was written: this one title is refused.
  const refused = `Refused ${randomUUID().slice(0, 8)}`
  const constraint = `failed_apply_${randomUUID().slice(0, 8)}`
  await sql.unsafe(`alter table public.contacts add constraint ${constraint} check (job_title is distinct from '${refused}') not valid`)
  try {
    let eventId = 80_000
    const edit = async (id: string, jobtitle: string) => {
      await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle } })
      const event = { eventId: eventId++, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
        subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(id), changeSource: 'CRM_UI', propertyName: 'jobtitle' }
      expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([event])))).status).toBe(200)
    }
    const line = async () => (await realtimeActivity(sql, tenant, connection)).map((a) => [a.objectType, a.failed])

    await edit(refusedId, refused)
    await edit(otherId, 'Went in')
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 2, failedEvents: 0 })
    expect(await line()).toEqual([['contact', 1]])
    expect(await contactIcon(tenant, connection)).toBe('partial')
    expect((await syncProblems(sql, tenant, connection)).map((p) => p.attempts)).toEqual([1])

    // A later apply of another record went through: the refused one still fails, and is still shown.
    await edit(otherId, 'Went in again')
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 1 })
    expect(await line()).toEqual([['contact', 1]])
    expect(await contactIcon(tenant, connection)).toBe('partial')
    expect(await syncProblems(sql, tenant, connection)).toHaveLength(1)

    // The cause goes; its next edit's apply writes it: no longer kept, counted or listed.
    await sql.unsafe(`alter table public.contacts drop constraint ${constraint}`)
    await edit(refusedId, 'Accepted now')
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 1 })
    expect(await sql`select remote_id from sync_retries where connection_id = ${connection}`).toEqual([])
    expect(await line()).toEqual([['contact', 0]])
    expect(await contactIcon(tenant, connection)).toBe('success')
    expect(await syncProblems(sql, tenant, connection)).toEqual([])
  } finally {
    await sql.unsafe(`alter table public.contacts drop constraint if exists ${constraint}`)
  }
})
