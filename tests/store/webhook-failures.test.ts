import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { realtimeActivity, syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// A webhook apply whose batch read failed whole keeps its reason in the run's errors (the
// drain went on): the panel's real-time line and "Records that failed to sync" show it, as
// long as its events still wait to be applied.

const sql = testSql()

async function webhookRun(tenant: string, connection: string, r: { agoMinutes: number; status: string; failed: number; updated?: number; errors: object[] }) {
  await sql`insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status, started_at, finished_at, duration_ms, updated, failed, errors)
    values (${tenant}, ${connection}, ${randomUUID()}, 'contact', 'webhook', ${r.status}, now() - make_interval(mins => ${r.agoMinutes}),
            now() - make_interval(mins => ${r.agoMinutes}), 5, ${r.updated ?? 0}, ${r.failed}, ${sql.json(r.errors as never)})`
}

async function pendingEvent(tenant: string, connection: string, key: string, error: string | null) {
  await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, attempts, error)
            values (${tenant}, ${connection}, ${key}, 'contact.propertyChange', 'contact', '1', now(), '{}', 1, ${error})`
}

const DOWN = '[transient] HubSpot 503: service unavailable'

it('a batch that failed whole shows on the real-time line and once among the failed records while its events wait', async () => {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await webhookRun(tenant, connection, { agoMinutes: 90, status: 'success', failed: 0, updated: 1, errors: [] })
  // Three drains tried the same events again, and failed the same way each time.
  for (const agoMinutes of [30, 20, 10]) await webhookRun(tenant, connection, { agoMinutes, status: 'failed', failed: 5, errors: [{ message: DOWN }] })
  await pendingEvent(tenant, connection, 'e1', DOWN)

  expect(await realtimeActivity(sql, tenant, connection)).toEqual([
    expect.objectContaining({ objectType: 'contact', applied: 1, failed: 15, error: DOWN }),
  ])
  expect((await syncProblems(sql, tenant, connection)).map((p) => [p.record, p.message])).toEqual([['a batch of webhook events', DOWN]])

  // A later drain applied them: the line counts the day's failures but shows no error, and the list is empty.
  await sql`update webhook_events set processed_at = now(), error = null where connection_id = ${connection}`
  await webhookRun(tenant, connection, { agoMinutes: 1, status: 'success', failed: 0, updated: 5, errors: [] })
  expect(await realtimeActivity(sql, tenant, connection)).toEqual([
    expect.objectContaining({ objectType: 'contact', applied: 6, failed: 15, error: null }),
  ])
  expect(await syncProblems(sql, tenant, connection)).toEqual([])
})

it('a run written before whole-batch failures were counted (failed = 0, its error in errors) is still listed', async () => {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await webhookRun(tenant, connection, { agoMinutes: 5, status: 'partial', failed: 0, errors: [{ message: DOWN }] })
  await pendingEvent(tenant, connection, 'e1', DOWN)
  expect((await syncProblems(sql, tenant, connection)).map((p) => p.message)).toEqual([DOWN])
})
