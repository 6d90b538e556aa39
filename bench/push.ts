// The push bench: the app's own rows flowing to HubSpot. A host app writes `contacts` with
// plain SQL (as README "Writing to the tables from your app" says it may), the outbox trigger
// captures each row, and one sync sends them. Measured on a connected, already-synced
// two-way connection: a bulk INSERT of new contacts (no links), then bulk UPDATEs of 1% and
// 10% of the linked contacts, each statement timed with the outbox trigger and without it.
import { runSync } from '../lib/crm/sync-service'
import type { Sql } from '../lib/store/db'
import { SEARCH_PER_SECOND } from '../sandbox/hubspot/rate-limit'
import { cpuPerRecord, cpuSecondsByPid, cpuSecondsSince, cpuSnapshot, type CpuSources } from './cpu'
import { benchConnection } from './fixtures'
import { rssSampler } from './rss'

export const TIER_PER_10S: Record<string, number> = { free: 100, pro: 190, enterprise: 190 }

export interface PushBenchOptions {
  sql: Sql
  sandboxUrl: string
  /** Contacts the portal starts with (pulled first), and new ones the app inserts. */
  contacts: number
  tier: 'free' | 'pro' | 'enterprise' | 'off'
  /**
   * The sandbox's and the embedded database's processes, for CPU per record by process (as the
   * backfill bench splits it). A Postgres server on this machine (databaseIsLocalServer) is
   * counted by the backends of this bench's own connections: the server may serve others too.
   */
  cpu: CpuSources
  log: (s: string) => void
}

const round = (n: number) => Math.round(n * 100) / 100
const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** The sandbox's calls by endpoint since the last reset, and resets them. */
async function takeCalls(sandboxUrl: string): Promise<Record<string, number>> {
  const stats = await (await fetch(`${sandboxUrl}/_sandbox/stats`)).json() as { calls: Record<string, number> }
  await fetch(`${sandboxUrl}/_sandbox/stats`, { method: 'DELETE' })
  return stats.calls
}

/** The batch writes of records (create, upsert, update: up to 100 records a call), by endpoint. */
const writeCalls = (calls: Record<string, number>) => Object.fromEntries(Object.entries(calls).filter(([k]) => k.includes('/objects/') && k.includes('/batch/') && !k.includes('/batch/read')))
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0)

/** The server backends serving this database (the bench's connections), by pid. */
async function backendPids(sql: Sql): Promise<number[]> {
  const rows = await sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`
  return rows.map((r) => r.pid as number)
}

/** The CPU snapshots (seconds by process) around `work`. */
async function cpuOf<T>(sql: Sql, src: CpuSources, work: () => Promise<T>) {
  // A server's database CPU is its backends' for this database, not every `postgres` process's.
  const own = { ...src, databaseIsLocalServer: false }
  const backendsBefore = src.databaseIsLocalServer ? cpuSecondsByPid(await backendPids(sql)) : null
  const before = cpuSnapshot(own)
  const result = await work()
  const after = cpuSnapshot(own)
  if (backendsBefore) {
    before.database = 0
    after.database = cpuSecondsSince(backendsBefore, cpuSecondsByPid(await backendPids(sql)))
  }
  return { result, before, after }
}

/**
 * One contacts sync, timed; its calls as the sandbox counted them; the CPU each process spent,
 * per record pushed (or, for a sync that pushes nothing, per record read back).
 */
async function timedSync(sql: Sql, sandboxUrl: string, connectionId: string, perSecond: number | null, cpuSources: CpuSources) {
  await takeCalls(sandboxUrl)
  const rss = rssSampler()
  const t0 = performance.now()
  const { result: s, before, after } = await cpuOf(sql, cpuSources, () => runSync(sql, { connectionId, trigger: 'cli', objects: ['contact'] }))
  const seconds = (performance.now() - t0) / 1000
  rss.stop()
  const c = s.objects.contacts!
  const cpu = cpuPerRecord(before, after, Math.max(1, c.pushed || c.fetched))
  const cpuTotal = cpu.engine !== null && cpu.sandbox !== null && cpu.database !== null ? cpu.engine + cpu.sandbox + cpu.database : null
  const calls = await takeCalls(sandboxUrl)
  const writes = writeCalls(calls)
  // Search has its own limit (5 a second, outside the 10-second bucket): the floor is whichever
  // of the two limits the run's calls meet last. Under the burst (190 calls in any 10 s at
  // Professional) a short run may beat the sustained rate: a ratio below 1.
  const searches = total(Object.fromEntries(Object.entries(calls).filter(([k]) => k.endsWith('/search'))))
  const floorSeconds = perSecond === null ? null : Math.max((total(calls) - searches) / perSecond, searches / SEARCH_PER_SECOND)
  return {
    status: s.status, seconds: round(seconds), pushed: c.pushed, failed: c.failed, recordsPerSecond: Math.round(c.pushed / seconds),
    // What the sync's pull saw: the records the last push wrote come back as changed in HubSpot.
    fetched: c.fetched, updated: c.updated, echoesSuppressed: c.echoesSuppressed,
    apiCalls: total(calls), writeCalls: total(writes), calls,
    floorSeconds: floorSeconds === null ? null : round(floorSeconds), ratioToFloor: floorSeconds ? round(seconds / floorSeconds) : null,
    peakRssMb: Math.round(rss.peak() / 2 ** 20),
    cpuMicrosPerRecord: { ...cpu, total: cpuTotal },
  }
}

/**
 * Times `statement` without the outbox trigger (disabled in a transaction rolled back, so
 * nothing else in the database sees it) and with it (rolled back too), alternating, twice
 * each; the best of each. The other triggers (updated_at, owner_email) run in both: only the
 * outbox's cost is compared. Then runs it once more with the trigger, committed.
 */
async function triggerCost(sql: Sql, statement: (tx: Sql) => Promise<unknown>) {
  const time = async (disabled: boolean, commit: boolean) => {
    let ms = 0
    const rollback = new Error('rollback')
    try {
      await sql.begin(async (tx) => {
        if (disabled) await tx`alter table contacts disable trigger contacts_capture_crm_change`
        const t0 = performance.now()
        await statement(tx as unknown as Sql)
        ms = performance.now() - t0
        if (!commit) throw rollback
      })
    } catch (e) {
      if (e !== rollback) throw e
    }
    return ms
  }
  const off: number[] = []
  const on: number[] = []
  for (let i = 0; i < 2; i++) {
    off.push(await time(true, false))
    on.push(await time(false, false))
  }
  const committedMs = await time(false, true)
  const withoutMs = Math.min(...off)
  const withMs = Math.min(...on)
  return { withoutTriggerMs: Math.round(withoutMs), withTriggerMs: Math.round(withMs), committedMs: Math.round(committedMs), ratio: round(withMs / withoutMs) }
}

/** The sync after a push, a minute later: its pull reads back the records the push wrote. */
async function nextSync(sql: Sql, sandboxUrl: string, connectionId: string, perSecond: number | null, cpuSources: CpuSources) {
  await fetch(`${sandboxUrl}/_sandbox/clock`, json('POST', { advanceMs: 60_000 }))
  return timedSync(sql, sandboxUrl, connectionId, perSecond, cpuSources)
}

export async function runPushBench(o: PushBenchOptions) {
  const { sql, sandboxUrl, contacts: n, log } = o
  const perSecond = o.tier === 'off' ? null : TIER_PER_10S[o.tier] / 10
  // Pulled unthrottled (not what is measured), then the portal and the client gate go to the tier.
  const { tenantId, connectionId } = await benchConnection(sql, sandboxUrl, { direction: 'bidirectional', requestsPerTenSeconds: 10_000 })
  log(`▸ backfill of ${n} contacts (two-way connection, unthrottled; not measured)…`)
  const backfill = await runSync(sql, { connectionId, trigger: 'cli' })
  if (backfill.status !== 'success') throw new Error(`backfill ${backfill.status}: ${JSON.stringify(backfill.objects)}`)
  await fetch(`${sandboxUrl}/_sandbox/config`, json('PATCH', { tier: o.tier }))
  await fetch(`${sandboxUrl}/_sandbox/rate-limits/reset`, { method: 'POST' })
  await sql`update crm_connections set settings = jsonb_set(settings, '{requestsPerTenSeconds}', ${o.tier === 'off' ? 10_000 : TIER_PER_10S[o.tier]}::int::text::jsonb) where id = ${connectionId}`
  // A sync with nothing to send, for comparison (Syncline's own properties are created by the
  // first push that has something to send: the insert's, below).
  await fetch(`${sandboxUrl}/_sandbox/clock`, json('POST', { advanceMs: 60_000 }))
  const warm = await timedSync(sql, sandboxUrl, connectionId, perSecond, o.cpu)

  // 1. The app inserts n new contacts in one statement, then one sync sends them.
  log(`▸ the app inserts ${n} new contacts in one statement, then one sync…`)
  const insertCost = await triggerCost(sql, (tx) => tx`insert into contacts (tenant_id, email, first_name, last_name, job_title)
    select ${tenantId}, 'push-bench-' || i || '@example.com', 'Push', 'Bench ' || i, 'Inserted by the app'
      from generate_series(1, ${n}::int) i`)
  const [queued] = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connectionId} and op = 'insert'`
  const insertSync = await timedSync(sql, sandboxUrl, connectionId, perSecond, o.cpu)
  const insertReadBack = await nextSync(sql, sandboxUrl, connectionId, perSecond, o.cpu)
  const [linked] = await sql`select count(*)::int as n from crm_links where connection_id = ${connectionId} and object_type = 'contact'`
  const insert = { rows: n, statement: insertCost, queued: queued.n, sync: insertSync, readBack: insertReadBack, linkedAfter: linked.n }

  // 2. Bulk UPDATEs of 1% and 10% of the linked contacts, one statement each.
  const updates = []
  for (const percent of [1, 10]) {
    const rows = Math.max(1, Math.round((linked.n * percent) / 100))
    log(`▸ the app updates ${percent}% (${rows}) of the linked contacts in one statement, then one sync…`)
    // A different value each round, so each statement changes every row it touches.
    const value = `Updated by the app (${percent}%)`
    const cost = await triggerCost(sql, (tx) => tx`update contacts set job_title = ${value}
      where id in (select local_id from crm_links where connection_id = ${connectionId} and object_type = 'contact' order by local_id limit ${rows})`)
    await fetch(`${sandboxUrl}/_sandbox/clock`, json('POST', { advanceMs: 60_000 }))
    const sync = await timedSync(sql, sandboxUrl, connectionId, perSecond, o.cpu)
    const readBack = await nextSync(sql, sandboxUrl, connectionId, perSecond, o.cpu)
    updates.push({ percent, rows, statement: cost, sync, readBack })
  }
  return { contacts: n, tier: o.tier, warmSync: warm, insert, updates }
}

export type PushBenchResult = Awaited<ReturnType<typeof runPushBench>>

export function printPushBench(r: PushBenchResult, database: string) {
  const floor = (s: PushBenchResult['insert']['sync']) =>
    s.floorSeconds === null ? '' : `; API floor ${s.floorSeconds} s → ${s.ratioToFloor}× the floor`
  const calls = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${v} ${k}`).join(', ')
  const cpu = (s: PushBenchResult['insert']['sync'], per: string) => {
    const c = s.cpuMicrosPerRecord
    if (c.total !== null) console.log(`                         CPU per record ${per}: engine ${c.engine} µs, sandbox ${c.sandbox} µs, database ${c.database} µs = ${c.total} µs`)
  }
  const readBack = (s: PushBenchResult['insert']['sync']) => {
    console.log(`  the next sync          ${s.seconds} s, ${s.apiCalls} API calls${floor(s)}: read back ${s.fetched}, ${s.echoesSuppressed} echoes suppressed, ${s.updated} updated`)
    console.log(`                         calls: ${calls(s.calls)}`)
    cpu(s, 'read back')
  }
  console.log(`\nSyncline push benchmark — ${r.contacts} contacts pulled, ${r.contacts} inserted by the app, tier ${r.tier}, ${database}`)
  const i = r.insert
  console.log(`  app INSERT of ${i.rows}  ${i.statement.withTriggerMs} ms with the outbox trigger, ${i.statement.withoutTriggerMs} ms without → ${i.statement.ratio}× (committed: ${i.statement.committedMs} ms), ${i.queued} queued`)
  console.log(`  push of the inserts    ${i.sync.seconds} s, ${i.sync.recordsPerSecond} records/s, ${i.sync.pushed} pushed, ${i.sync.failed} failed, ${i.sync.apiCalls} API calls (${i.sync.writeCalls} batch writes)${floor(i.sync)}, peak RSS ${i.sync.peakRssMb} MB`)
  console.log(`                         calls: ${calls(i.sync.calls)}`)
  cpu(i.sync, 'pushed')
  readBack(i.readBack)
  for (const u of r.updates) {
    const s = u.statement
    console.log(`  app UPDATE of ${u.percent}% (${u.rows})  ${s.withTriggerMs} ms with the outbox trigger, ${s.withoutTriggerMs} ms without → ${s.ratio}× (committed: ${s.committedMs} ms)`)
    console.log(`  push of the updates    ${u.sync.seconds} s, ${u.sync.recordsPerSecond} records/s, ${u.sync.pushed} pushed, ${u.sync.failed} failed, ${u.sync.apiCalls} API calls (${u.sync.writeCalls} batch writes)${floor(u.sync)}, peak RSS ${u.sync.peakRssMb} MB`)
    console.log(`                         calls: ${calls(u.sync.calls)}`)
    cpu(u.sync, 'pushed')
    readBack(u.readBack)
  }
  console.log(`  (a sync with nothing to push, before: ${r.warmSync.seconds} s, ${r.warmSync.apiCalls} API calls: ${calls(r.warmSync.calls)})`)
}
