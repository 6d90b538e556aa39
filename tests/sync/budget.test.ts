import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { repEdit } from '../../sandbox/hubspot/control/rep'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

const sql = testSql()

interface SandboxStats {
  total: number
  calls: Record<string, number>
  answered: Record<string, number>
  refusals: Array<{ at: number; call: string; status: number }>
}

/**
 * A pull-only backfill of 12,000 contacts at the free tier's burst limit (100 per 10 s,
 * the sandbox counting each call when it arrives), the client's gate set to the same 100.
 * 120 list pages + 2 owners pages (active, then deactivated: archived=true) + 1 read of the
 * portal's contact options (lifecycle stage and lead status labels): 123 calls, each
 * counted once if none was retried. A failure says what the sandbox answered, and to which calls.
 */
async function backfillAtFreeTier(latency?: { seed: number; rate: number; ms: number }) {
  const sandbox = await testSandbox({ contacts: 12_000, owners: 2, seed: 21, tier: 'free' })
  if (latency) {
    await control(sandbox, 'PUT', '/faults', { seed: latency.seed, rules: [
      { kind: 'latency', rate: latency.rate, ms: latency.ms, match: '^GET /crm/v3/objects/contacts' },
    ] })
  }
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, {
    direction: 'pull', entities: { company: false, deal: false }, requestsPerTenSeconds: 100,
  })
  const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
  const stats = await control<SandboxStats>(sandbox, 'GET', '/stats')
  const calls = Object.values(summary.objects).reduce((n, o) => n + o.apiCalls, 0)
  const seen = `the engine made ${calls} calls; the sandbox answered ${JSON.stringify(stats.answered)}, refused ${JSON.stringify(stats.refusals)}`
  expect(summary.status, seen).toBe('success')
  expect(stats.answered, seen).toEqual({ 200: 123 })
  expect(calls, seen).toBe(123)
  expect(stats.total, seen).toBe(123)
  return sandbox
}

describe('the API budget', () => {
  it('a backfill at the free tier\'s burst limit draws no 429 and retries nothing', async () => {
    await backfillAtFreeTier()
  })

  it('calls that reach HubSpot late and unevenly (a loaded machine, a slow network) still draw no 429', async () => {
    // One list call in ten is held up 600 ms before the sandbox counts it. Dated when it was
    // sent, the call stayed in the sandbox's window after it left the client's, and the
    // call sent in its place 10 s later was refused (seed 3: the 105th call).
    const sandbox = await backfillAtFreeTier({ seed: 3, rate: 0.1, ms: 600 })
    const faults = await control<{ injected: number }>(sandbox, 'GET', '/faults')
    expect(faults.injected).toBeGreaterThan(0)
  })

  it('an incremental run costs about one call per 200 changed records', async () => {
    const sandbox = await testSandbox({ contacts: 2_000, owners: 2, seed: 24 })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    const { results } = await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1000')
    for (const r of results) repEdit(sandbox.state, 'contacts', r.id, { jobtitle: `Budget ${r.id}` })
    await control(sandbox, 'POST', '/clock', { advanceMs: 60_000 }) // let the burst's timestamps pass
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ updated: 1_000, failed: 0 })
    // 5 search pages of 200 + 1 association read for the 1,000 + 1 archived listing page.
    expect(summary.objects.contacts!.apiCalls).toBeLessThanOrEqual(7)
  })

  it('server errors and dropped connections are retried with backoff, and the run still lands everything', async () => {
    const sandbox = await testSandbox({ contacts: 800, owners: 2, seed: 22 })
    await control(sandbox, 'PUT', '/faults', { seed: 5, rules: [
      { kind: 'server_error', rate: 0.2, status: 503, match: '^GET /crm/v3/objects/contacts' },
      { kind: 'truncate', rate: 0.1, match: '^GET /crm/v3/objects/contacts' },
    ] })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(summary.status).toBe('success')
    const faults = await control<{ injected: number }>(sandbox, 'GET', '/faults')
    expect(faults.injected).toBeGreaterThan(0)
    const [row] = await sql`select count(*)::int as n from crm_links where connection_id = ${connection}`
    expect(row.n).toBe(800)
  })

  it('a daily limit stops the run at once instead of retrying', async () => {
    const sandbox = await testSandbox({ contacts: 300, owners: 2, seed: 23 })
    // A Professional portal that has spent its 625,000 calls for today.
    await control(sandbox, 'PATCH', '/config', { tier: 'pro' })
    sandbox.state.limiter.setDailyCount(625_000)
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ status: 'failed', apiCalls: 1 })
    expect(summary.objects.contacts?.error).toMatch(/daily_limit/)
  })
})
