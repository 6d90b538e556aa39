import { describe, expect, it } from 'vitest'
import { syncDueConnections } from '../../lib/crm/cron'
import { WRITE_BATCH } from '../../lib/crm/pull/full'
import { runSync } from '../../lib/crm/sync-service'
import { latestRunsByType, runHistory } from '../../lib/store/dashboard'
import { acquireLease } from '../../lib/store/lease'
import { INTERRUPTED_ERROR, startRun } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// A run asked to stop (a platform's time limit near, Ctrl-C) ends between batches and
// closes its rows; a run whose process simply ended is closed as interrupted later.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2 * WRITE_BATCH + 300, companies: 0, deals: 12, owners: 2, seed: 41 })

async function runRows(connection: string, runGroup?: string) {
  return sql`select object_type, status, error from sync_runs
              where connection_id = ${connection} ${runGroup ? sql`and run_group = ${runGroup}` : sql``} order by id`
}

async function linkedContacts(connection: string): Promise<string[]> {
  const rows = await sql`select remote_id from crm_links where connection_id = ${connection} and object_type = 'contact' order by 1`
  return rows.map((r) => r.remote_id as string)
}

describe('a run asked to stop', () => {
  it('ends between batches: its rows say so, the lease is free, the connection is due, and the next run goes on from there', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false } })
    const stop = new AbortController()
    const first = await runSync(sql, {
      connectionId: connection, trigger: 'cron', signal: stop.signal,
      onProgress: (p) => { if (p.objectType === 'contact') stop.abort('stopped for the test') },
    })
    expect(first.status).toBe('partial')
    expect(first.stopped).toBe('stopped for the test')
    expect(first.objects.contacts).toMatchObject({ status: 'partial', error: '[stopped] stopped for the test; the next sync goes on from here' })
    // Deals were not started: no row, no summary.
    expect(first.objects.deals).toBeUndefined()
    expect((await runRows(connection, first.runGroup)).map((r) => [r.object_type, r.status])).toEqual([['owner', 'success'], ['contact', 'partial']])
    // Whole batches only: what is in is what was committed with its cursor.
    const kept = (await linkedContacts(connection)).length
    expect(kept % WRITE_BATCH).toBe(0)
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(2 * WRITE_BATCH + 300)
    const [c] = await sql`select sync_lease_owner, next_sync_at <= now() as due from crm_connections where id = ${connection}`
    expect(c).toEqual({ sync_lease_owner: null, due: true })

    const second = await runSync(sql, { connectionId: connection, trigger: 'cron' })
    expect(second.status).toBe('success')
    expect(second.objects.contacts?.fetched).toBe(2 * WRITE_BATCH + 300 - kept) // resumed, not restarted
    expect(second.objects.deals).toMatchObject({ status: 'success', created: 12 })
    const { results } = await fetch(`${sandbox.url}/_sandbox/records/contacts?limit=100000`).then((r) => r.json()) as { results: { id: string }[] }
    expect(await linkedContacts(connection)).toEqual(results.map((r) => r.id).sort())
    const [after] = await sql`select next_sync_at > now() as scheduled from crm_connections where id = ${connection}`
    expect(after.scheduled).toBe(true)
  })

  it('already past its limit, starts nothing and keeps the connection due', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false } })
    await control(sandbox, 'DELETE', '/stats')
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', signal: AbortSignal.abort(new DOMException('late', 'TimeoutError')) })
    expect(summary).toMatchObject({ status: 'partial', stopped: 'stopped at the time limit', objects: {} })
    expect(await runRows(connection)).toEqual([])
    const [c] = await sql`select sync_lease_owner, next_sync_at <= now() as due from crm_connections where id = ${connection}`
    expect(c).toEqual({ sync_lease_owner: null, due: true })
  })
})

describe('a run whose process ended mid-way', () => {
  /** A run row left open by a process that died, with its lease as it left it. */
  async function deadRun(tenant: string, connection: string, leaseLive: boolean): Promise<number> {
    const runId = await startRun(sql, { tenantId: tenant, connectionId: connection, runGroup: crypto.randomUUID(), objectType: 'contact', trigger: 'cron' })
    await acquireLease(sql, connection, 'a process that is gone', 60_000)
    if (!leaseLive) await sql`update crm_connections set sync_lease_until = now() - interval '1 second' where id = ${connection}`
    return runId
  }

  it('is closed as interrupted by the next run on its connection', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    const dead = await deadRun(tenant, connection, false)
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(summary.status).toBe('success')
    const [row] = await sql`select status, error, finished_at from sync_runs where id = ${dead}`
    expect(row).toEqual({ status: 'failed', error: INTERRUPTED_ERROR, finished_at: null })
    expect((await runRows(connection, summary.runGroup)).every((r) => r.status === 'success')).toBe(true)
  })

  it('is left alone while another process holds the lease, and closed by the hourly cron once the lease lapses', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    const running = await deadRun(tenant, connection, true)
    // The lease holder may still be at work: a run now is busy and touches nothing.
    expect((await runSync(sql, { connectionId: connection, trigger: 'manual' })).status).toBe('busy')
    // With no time left the cron starts no sync and drains nothing; its sweep comes first regardless.
    const cron = () => syncDueConnections(sql, { budgetMs: 1 })
    await cron()
    expect((await sql`select status from sync_runs where id = ${running}`)[0].status).toBe('running')
    const shown = async () => ({
      latest: (await latestRunsByType(sql, tenant, connection)).map((r) => [r.objectType, r.status, r.error]),
      history: (await runHistory(sql, tenant, connection)).map((p) => p.status),
    })
    expect(await shown()).toEqual({ latest: [['contact', 'running', null]], history: ['running'] })

    await sql`update crm_connections set sync_lease_until = now() - interval '1 second' where id = ${connection}`
    // The dashboard tells the truth at once, before anything closes the row.
    expect(await shown()).toEqual({ latest: [['contact', 'failed', INTERRUPTED_ERROR]], history: ['failed'] })
    const report = await cron()
    expect(report.interrupted).toBeGreaterThanOrEqual(1)
    expect((await sql`select status, error from sync_runs where id = ${running}`)[0]).toEqual({ status: 'failed', error: INTERRUPTED_ERROR })
  })
})

describe('a push asked to stop', () => {
  it('finishes the round it is in (its acks and links commit together), leaves the rest queued, and the next run sends only those', async () => {
    const portal = await testSandbox({ contacts: 5, owners: 1, seed: 43 })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, portal, tenant, { direction: 'bidirectional', entities: { company: false, deal: false } })
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    // 600 new local contacts: a push round takes 500 (five calls of 100).
    await sql`insert into contacts (tenant_id, email, first_name)
              select ${tenant}, 'stop-push-' || i || '@example.com', 'Pushed' from generate_series(1, 600) i`
    const stop = new AbortController()
    const first = await runSync(sql, {
      connectionId: connection, trigger: 'manual', signal: stop.signal,
      onProgress: (p) => { if (p.counts.pushed > 0) stop.abort('stopped for the test') },
    })
    expect(first.objects.contacts).toMatchObject({ status: 'partial', pushed: 500, error: '[stopped] stopped for the test; the next sync goes on from here' })
    const [queued] = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`
    expect(queued.n).toBe(100)
    const [linked] = await sql`select count(*)::int as n from crm_links where connection_id = ${connection} and origin = 'app'`
    expect(linked.n).toBe(500)

    const second = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(second.objects.contacts).toMatchObject({ status: 'success', pushed: 100 })
    const { results } = await fetch(`${portal.url}/_sandbox/records/contacts?limit=100000`).then((r) => r.json()) as { results: { properties: Record<string, string | null> }[] }
    const pushed = results.filter((r) => r.properties.email?.startsWith('stop-push-'))
    expect(pushed.length).toBe(600) // each once: nothing sent twice
    expect(new Set(pushed.map((r) => r.properties.email)).size).toBe(600)
  })
})
