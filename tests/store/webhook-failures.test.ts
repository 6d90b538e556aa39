import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { panelStatus } from '../../components/panel-status'
import { connectionStatuses } from '../../lib/crm/status'
import { realtimeActivity, syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// The panel's real-time line counts the records still failing, not a day's tally of failed
// applies: a webhook batch that failed whole while its events wait to be applied (its
// reason, kept in the run's errors, is shown and listed once among the failed records), and
// a record a webhook apply could not write while it waits to be read again. Once a later
// drain or pull applies them the line says 0 failed and the panel's icon is the last sync's.

const sql = testSql()

async function webhookRun(tenant: string, connection: string, r: { agoMinutes: number; status: string; failed: number; updated?: number; errors: object[] }) {
  await sql`insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status, started_at, finished_at, duration_ms, updated, failed, errors)
    values (${tenant}, ${connection}, ${randomUUID()}, 'contact', 'webhook', ${r.status}, now() - make_interval(mins => ${r.agoMinutes}),
            now() - make_interval(mins => ${r.agoMinutes}), 5, ${r.updated ?? 0}, ${r.failed}, ${sql.json(r.errors as never)})`
}

async function syncRun(tenant: string, connection: string, agoMinutes: number) {
  await sql`insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status, started_at, finished_at, duration_ms)
    values (${tenant}, ${connection}, ${randomUUID()}, 'contact', 'cron', 'success', now() - make_interval(mins => ${agoMinutes}),
            now() - make_interval(mins => ${agoMinutes}), 5)`
}

async function pendingEvent(tenant: string, connection: string, key: string, error: string | null, objectId = '1') {
  await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, attempts, error)
            values (${tenant}, ${connection}, ${key}, 'contact.propertyChange', 'contact', ${objectId}, now(), '{}', 1, ${error})`
}

async function keptForRetry(tenant: string, connection: string, remoteId: string, error: string) {
  await sql`insert into sync_retries (connection_id, object_type, remote_id, tenant_id, error) values (${connection}, 'contact', ${remoteId}, ${tenant}, ${error})`
}

/** The contact panel's real-time line and status icon, as the dashboard gets them. */
async function contactPanel(tenant: string, connection: string) {
  const [c] = (await connectionStatuses(sql, tenant)).filter((x) => x.id === connection)
  const live = c.realtime.contact
  return { failed: live?.failed, error: live?.error, icon: panelStatus(c.objects.contact, live).status }
}

const DOWN = '[transient] HubSpot 503: service unavailable'
const REFUSED = 'new row for relation "contacts" violates check constraint'

it('a batch that failed whole counts its records while its events wait, and not once a later drain applied them', async () => {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await syncRun(tenant, connection, 120)
  await webhookRun(tenant, connection, { agoMinutes: 90, status: 'success', failed: 0, updated: 1, errors: [] })
  // Three drains tried the same events (two of contact 1, one of contact 2) again, and failed the same way each time.
  for (const agoMinutes of [30, 20, 10]) await webhookRun(tenant, connection, { agoMinutes, status: 'failed', failed: 2, errors: [{ message: DOWN }] })
  await pendingEvent(tenant, connection, 'e1', DOWN)
  await pendingEvent(tenant, connection, 'e2', DOWN)
  await pendingEvent(tenant, connection, 'e3', DOWN, '2')

  expect(await realtimeActivity(sql, tenant, connection)).toEqual([
    expect.objectContaining({ objectType: 'contact', applied: 1, failed: 2, error: DOWN }),
  ])
  expect(await contactPanel(tenant, connection)).toEqual({ failed: 2, error: DOWN, icon: 'failed' })
  expect((await syncProblems(sql, tenant, connection)).map((p) => [p.record, p.message])).toEqual([['a batch of webhook events', DOWN]])

  // A later drain applied contact 2's event: contact 1's still fail.
  await sql`update webhook_events set processed_at = now(), error = null where connection_id = ${connection} and object_id = '2'`
  await webhookRun(tenant, connection, { agoMinutes: 5, status: 'failed', failed: 1, errors: [{ message: DOWN }] })
  expect(await contactPanel(tenant, connection)).toEqual({ failed: 1, error: DOWN, icon: 'failed' })

  // The next applied them: 0 failed, no error, the last sync's icon, and the list is empty.
  await sql`update webhook_events set processed_at = now(), error = null where connection_id = ${connection}`
  await webhookRun(tenant, connection, { agoMinutes: 1, status: 'success', failed: 0, updated: 2, errors: [] })
  expect(await realtimeActivity(sql, tenant, connection)).toEqual([
    expect.objectContaining({ objectType: 'contact', applied: 3, failed: 0, error: null }),
  ])
  expect(await contactPanel(tenant, connection)).toEqual({ failed: 0, error: null, icon: 'success' })
  expect(await syncProblems(sql, tenant, connection)).toEqual([])
})

it('a record a webhook apply could not write counts while it waits to be read again, whatever applies came after', async () => {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await syncRun(tenant, connection, 120)
  await webhookRun(tenant, connection, { agoMinutes: 30, status: 'partial', failed: 1, updated: 3, errors: [{ remoteId: '7', message: REFUSED }] })
  await keptForRetry(tenant, connection, '7', REFUSED)
  // Failed in a sync only: the sync's to show, not the real-time line's.
  await keptForRetry(tenant, connection, '8', REFUSED)
  expect(await contactPanel(tenant, connection)).toEqual({ failed: 1, error: REFUSED, icon: 'partial' })

  // Later applies of other records went through: record 7 still fails, and the icon still says so.
  await webhookRun(tenant, connection, { agoMinutes: 10, status: 'success', failed: 0, updated: 2, errors: [] })
  expect((await contactPanel(tenant, connection))).toMatchObject({ failed: 1, icon: 'partial' })
  expect((await syncProblems(sql, tenant, connection)).map((p) => p.record).sort()).toEqual(['7', '8'])

  // Record 7 went in (a pull or an apply wrote it, and it left sync_retries): not counted, not listed.
  await sql`delete from sync_retries where connection_id = ${connection} and remote_id = '7'`
  expect(await contactPanel(tenant, connection)).toEqual({ failed: 0, error: null, icon: 'success' })
  expect((await syncProblems(sql, tenant, connection)).map((p) => p.record)).toEqual(['8'])
})

it('a run written before whole-batch failures were counted (failed = 0, its error in errors) is still listed', async () => {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await webhookRun(tenant, connection, { agoMinutes: 5, status: 'partial', failed: 0, errors: [{ message: DOWN }] })
  await pendingEvent(tenant, connection, 'e1', DOWN)
  expect((await syncProblems(sql, tenant, connection)).map((p) => p.message)).toEqual([DOWN])
})
