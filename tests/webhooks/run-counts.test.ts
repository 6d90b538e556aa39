import { expect, it } from 'vitest'
import { parseSettings } from '../../lib/crm/settings'
import { adapterForConnection, runSync } from '../../lib/crm/sync-service'
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
