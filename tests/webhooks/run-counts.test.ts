import { expect, it } from 'vitest'
import { parseSettings } from '../../lib/crm/settings'
import { adapterForConnection, runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { getConnection } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'
import { until } from '../helpers/interleave'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from './helpers'

// A webhook drain's run row counts what its batches committed, each batch's counts in
// that batch's own transaction: a drain that dies between two batches (a kill, its
// function's end) leaves a row that says exactly what went in, as a pull's does.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 300, owners: 1, seed: 53 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

async function titled(connection: string, title: string): Promise<number> {
  const [row] = await sql`select count(*)::int as n from contacts c join crm_links l on l.local_id = c.id
                           where l.connection_id = ${connection} and c.job_title = ${title}`
  return row.n
}

const runRow = async (connection: string) =>
  (await sql`select status, fetched, updated, failed from sync_runs where connection_id = ${connection} and trigger = 'webhook'`)[0]

it('each batch read adds its counts to the run row in its own commit: a drain stopped dead between batches leaves them exact', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  // An event for each of the 300 contacts: three batch reads of 100.
  const { results } = await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1000')
  expect(results.length).toBe(300)
  for (const c of results) await control(sandbox, 'PATCH', `/rep/contacts/${c.id}`, { properties: { jobtitle: 'Counted' } })
  const events = results.map((c, i) => ({
    eventId: 80_000 + i, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(c.id), changeSource: 'CRM_UI', propertyName: 'jobtitle',
  }))
  for (let i = 0; i < events.length; i += 100) {
    expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(events.slice(i, i + 100))))).status).toBe(200)
  }

  // The first read goes through, the second fails (its records are counted failed, its
  // events kept), and the third waits until the test lets it go: while it waits, the
  // database holds what a process killed there would leave.
  const c = (await getConnection(sql, connection))!
  const real = adapterForConnection(sql, c, parseSettings(c.settings))
  let reads = 0
  let waiting = false
  let letGo!: () => void
  const gate = new Promise<void>((r) => { letGo = r })
  const adapter = { ...real, readBatch: async (...args: Parameters<typeof real.readBatch>) => {
    const n = ++reads
    if (n === 2) throw new Error('HubSpot 502: bad gateway (injected)')
    if (n === 3) {
      waiting = true
      await gate
    }
    return real.readBatch(...args)
  } }
  const drain = processPendingWebhooks(sql, connection, { adapter })
  try {
    await until(async () => waiting, 'the third batch read')
    expect(await titled(connection, 'Counted')).toBe(100)
    expect(await runRow(connection)).toMatchObject({ status: 'running', fetched: 100, updated: 100, failed: 100 })
  } finally {
    letGo()
  }
  const summary = await drain
  expect(summary).toMatchObject({ status: 'partial', events: 300, failedEvents: 100 })
  expect(await titled(connection, 'Counted')).toBe(200)
  // The end of the run writes the same totals: nothing counted twice.
  expect(await runRow(connection)).toEqual({ status: 'partial', fetched: 200, updated: 200, failed: 100 })
})

it('a batch whose deletions fail after its live records committed: only the deletions fail, the applied events stay processed', async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
  forgetWebhookTargets() // the portal's other connection, above, is cached as its only target
  await runSync(sql, { connectionId: connection, trigger: 'initial', objects: ['contact'] })
  const { results } = await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=2&offset=10')
  const [edited, deleted] = results.map((c) => c.id)
  await control(sandbox, 'PATCH', `/rep/contacts/${edited}`, { properties: { jobtitle: 'Applied before the failure' } })
  await control(sandbox, 'DELETE', `/rep/contacts/${deleted}`)
  // The deletion's write fails (a database error, as a dropped connection would give), after
  // the live record's commit: a trigger on this one link refuses its archiving.
  await sql.unsafe(`create function fail_archive_${deleted}() returns trigger language plpgsql as $$
    begin if new.archived_at is not null and new.remote_id = '${deleted}' and new.connection_id = '${connection}' then raise exception 'archive refused (injected)'; end if; return new; end $$`)
  await sql.unsafe(`create trigger fail_archive_${deleted} before update on crm_links for each row execute function fail_archive_${deleted}()`)
  try {
    const event = (eventId: number, objectId: string, subscriptionType: string) => ({
      eventId, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(), subscriptionType,
      attemptNumber: 0, objectId: Number(objectId), changeSource: 'CRM_UI', ...(subscriptionType.endsWith('propertyChange') ? { propertyName: 'jobtitle' } : {}),
    })
    const body = [event(81_000, edited, 'contact.propertyChange'), event(81_001, deleted, 'contact.deletion')]
    expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(body)))).status).toBe(200)
    const summary = await processPendingWebhooks(sql, connection)
    expect(summary).toMatchObject({ status: 'partial', events: 2, failedEvents: 1 })
    expect(await titled(connection, 'Applied before the failure')).toBe(1)
    expect(await runRow(connection)).toEqual({ status: 'partial', fetched: 1, updated: 1, failed: 1 })
    const events = await sql`select object_id::text as id, processed_at is not null as processed, attempts, error is not null as has_error
                               from webhook_events where connection_id = ${connection} order by id`
    expect(events).toEqual([
      { id: edited, processed: true, attempts: 0, has_error: false },
      { id: deleted, processed: false, attempts: 1, has_error: true },
    ])
  } finally {
    await sql.unsafe(`drop trigger fail_archive_${deleted} on crm_links`)
    await sql.unsafe(`drop function fail_archive_${deleted}()`)
  }
})
