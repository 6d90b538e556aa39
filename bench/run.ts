// npm run bench -- [--contacts N] [--tier pro|free|enterprise|off] [--naive-max N] [--json]
// npm run bench -- --mode webhooks [--edits N] [--rps R] [--seconds S] [--json]
// npm run bench -- --mode push [--contacts N] [--tier pro|free|enterprise|off] [--json]
// Starts the sandbox HubSpot and the embedded Postgres as their own processes (or uses
// BENCH_DATABASE_URL), runs the engine in this one, and prints the figures.
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { runSync } from '../lib/crm/sync-service'
import { env } from '../lib/env'
import { connect } from '../lib/store/db'
import { migrate } from '../lib/store/migrate'
import { commandArgs } from '../scripts/cli-args'
import { settingsOrExit } from '../scripts/dev-settings'
import { BENCH_FLAGS, BENCH_USAGE } from './args'
import { naiveBaseline, rawCopy, rawCopyPglite } from './baselines'
import { timesFaster } from './compare'
import { cpuPerRecord, cpuSnapshot, databaseCpuSeconds, isLocalServerUrl } from './cpu'
import { benchConnection, contactsWithExtraValues, expireAssociationCheck, moveContactsToAnotherCompany } from './fixtures'
import { startDatabaseProcess, startSandboxProcess, type Child } from './processes'
import { rssSampler } from './rss'
import { customPropertyName } from '../sandbox/hubspot/seed'

const TIER_PER_10S: Record<string, number> = { free: 100, pro: 190, enterprise: 190 }

const { mode } = commandArgs(BENCH_USAGE, BENCH_FLAGS, z.object({ mode: z.enum(['backfill', 'push', 'webhooks']).default('backfill') }))
settingsOrExit(env)
if (mode === 'webhooks') {
  await import('./webhooks-mode')
  process.exit(0)
}
if (mode === 'push') {
  await import('./push-mode')
  process.exit(0)
}
const args = commandArgs(BENCH_USAGE, BENCH_FLAGS, z.object({
  contacts: z.coerce.number().int().min(100).max(2_000_000).default(100_000),
  tier: z.enum(['free', 'pro', 'enterprise', 'off']).default('pro'),
  'naive-max': z.coerce.number().int().min(100).default(20_000),
  /** Custom contact properties the portal has (every contact holding a value) and the connection reads as extra properties. */
  'extra-properties': z.coerce.number().int().min(0).max(50).default(0),
  json: z.boolean().default(false),
}))

const log = (s: string) => { if (!args.json) console.error(s) }
const children: Child[] = []
const results: Record<string, unknown> = { contacts: args.contacts, tier: args.tier, extraProperties: args['extra-properties'] }
const extraProperties = Array.from({ length: args['extra-properties'] }, (_, k) => customPropertyName(k + 1))
try {
  const db = process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : await startDatabaseProcess()
  if ('child' in db) children.push(db.child)
  const sql = connect(db.url, { max: 4 })
  await migrate(sql)

  // 1. Records/s with the sandbox unthrottled: the engine's own speed, end to end.
  log(`▸ seeding ${args.contacts} contacts in an unthrottled sandbox…`)
  const fast = await startSandboxProcess(args.contacts, 'off', extraProperties.length)
  children.push(fast.child)
  // The client-side gate is opened too (1,000 calls/s): this run measures the engine, not a budget.
  const unthrottled = await benchConnection(sql, fast.url, { requestsPerTenSeconds: 10_000, extraProperties: { contact: extraProperties } })
  const timing = { dbMs: 0 }
  const rss = rssSampler()
  log('▸ backfill, unthrottled…')
  const cpuSources = {
    sandboxPid: fast.child.proc.pid, databasePid: 'child' in db ? db.child.proc.pid : undefined,
    databaseIsLocalServer: isLocalServerUrl(process.env.BENCH_DATABASE_URL),
  }
  const cpuBefore = cpuSnapshot(cpuSources)
  let t0 = performance.now()
  const s1 = await runSync(sql, { connectionId: unthrottled.connectionId, trigger: 'cli', timing })
  const backfillSeconds = (performance.now() - t0) / 1000
  rss.stop()
  const c1 = s1.objects.contacts!
  const cpu = cpuPerRecord(cpuBefore, cpuSnapshot(cpuSources), c1.created)
  const cpuTotal = cpu.engine !== null && cpu.sandbox !== null && cpu.database !== null ? cpu.engine + cpu.sandbox + cpu.database : null
  results.unthrottled = {
    seconds: round(backfillSeconds), recordsPerSecond: Math.round(c1.created / backfillSeconds), created: c1.created,
    apiCalls: c1.apiCalls, databaseStageSeconds: round(timing.dbMs / 1000), peakRssMb: Math.round(rss.peak() / 2 ** 20),
    // CPU µs per record by process, and the rate this machine's cores could reach at that cost.
    cpuMicrosPerRecord: { ...cpu, total: cpuTotal },
    cpuBoundRecordsPerSecond: cpuTotal ? Math.round((availableParallelism() * 1e6) / cpuTotal) : null,
    ...(extraProperties.length ? { withExtraValues: await contactsWithExtraValues(sql, unthrottled.tenantId, extraProperties) } : {}),
  }

  // 2. Incremental after 1% changed.
  const changed = Math.max(1, Math.round(args.contacts / 100))
  log(`▸ ${changed} rep edits (1%), then an incremental run…`)
  const list = await (await fetch(`${fast.url}/_sandbox/records/contacts?limit=${changed}`)).json() as { results: { id: string }[] }
  for (const r of list.results) {
    await fetch(`${fast.url}/_sandbox/rep/contacts/${r.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { jobtitle: `Bench ${r.id}` } }) })
  }
  await fetch(`${fast.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 60_000 }) })
  const s2 = await runSync(sql, { connectionId: unthrottled.connectionId, trigger: 'cli', objects: ['contact'] })
  results.incremental = { changed, updated: s2.objects.contacts!.updated, apiCalls: s2.objects.contacts!.apiCalls }

  // 2b. The daily association check, after 0.1% of contacts moved to another company by
  //     their associations alone (which the incremental search cannot see).
  const moves = Math.max(1, Math.round(args.contacts / 1000))
  log(`▸ ${moves} contacts moved to another company (associations only), then the daily association check…`)
  await moveContactsToAnotherCompany(fast.url, args.contacts, moves)
  await expireAssociationCheck(sql, unthrottled.connectionId)
  t0 = performance.now()
  const s2b = await runSync(sql, { connectionId: unthrottled.connectionId, trigger: 'cli', objects: ['contact'] })
  results.associationCheck = { moved: moves, updated: s2b.objects.contacts!.updated, apiCalls: s2b.objects.contacts!.apiCalls, seconds: round((performance.now() - t0) / 1000) }

  // 3. The database stage against raw COPY of the same rows, into an identical table.
  log('▸ raw COPY of the same rows…')
  const copy = process.env.BENCH_DATABASE_URL ? await rawCopy(sql, unthrottled.tenantId, () => databaseCpuSeconds(cpuSources)) : await rawCopyPglite(sql, unthrottled.tenantId)
  // Per record: COPY is timed on up to 100,000 of the rows (one CSV string in memory).
  const perRecord = timing.dbMs / 1000 / c1.created
  results.copy = {
    seconds: round(copy.seconds), rounds: copy.rounds.map(round), bareSeconds: round(copy.bareSeconds), records: copy.records,
    ratio: round(perRecord / (copy.seconds / copy.records)), bareRatio: round(perRecord / (copy.bareSeconds / copy.records)),
    // Every row the backfill writes: each record's row and its link.
    linksSeconds: round(copy.linksSeconds), allRowsRatio: round(perRecord / ((copy.seconds + copy.linksSeconds) / copy.records)),
    // The same comparison in the database's CPU: the backfill's wall-clock stage also holds
    // the time its statements waited for a core the engine and the sandbox were using.
    cpuMicrosPerRecord: copy.cpuSeconds === null ? null : Math.round((copy.cpuSeconds * 1e6) / copy.records),
    cpuRatio: copy.cpuSeconds === null || cpu.database === null ? null : round(cpu.database / ((copy.cpuSeconds * 1e6) / copy.records)),
    allRowsCpuMicrosPerRecord: copy.cpuSeconds === null || copy.linksCpuSeconds === null ? null
      : Math.round(((copy.cpuSeconds + copy.linksCpuSeconds) * 1e6) / copy.records),
  }

  await fast.child.stop()

  // 4. The naive baseline (SDK getAll + one upsert per row), on its own portal of
  //    min(N, --naive-max) contacts so it fetches exactly what it writes; it writes the
  //    engine's own contact rows (and, beside it, the seeds' five columns).
  const naiveN = Math.min(args.contacts, args['naive-max'])
  log(`▸ naive baseline on ${naiveN} records…`)
  const naivePortal = await startSandboxProcess(naiveN, 'off')
  children.push(naivePortal.child)
  const naive = await naiveBaseline(sql, naivePortal.url, naiveN, unthrottled.tenantId)
  const engineRate = c1.created / backfillSeconds
  const naiveRate = naive.records / naive.seconds
  const skinnyRate = naive.records / naive.skinnySeconds
  results.naive = { records: naive.records, seconds: round(naive.seconds), recordsPerSecond: Math.round(naiveRate), speedup: round(engineRate / naiveRate),
    skinny: { seconds: round(naive.skinnySeconds), recordsPerSecond: Math.round(skinnyRate), speedup: round(engineRate / skinnyRate) } }
  await naivePortal.child.stop()

  // 5. Backfill against the tier's rate limit, as a ratio of the API floor.
  if (args.tier !== 'off') {
    log(`▸ backfill at the ${args.tier} tier's limit (this takes a while: it is the API floor)…`)
    const slow = await startSandboxProcess(args.contacts, args.tier)
    children.push(slow.child)
    const limited = await benchConnection(sql, slow.url, { requestsPerTenSeconds: TIER_PER_10S[args.tier] })
    t0 = performance.now()
    const s3 = await runSync(sql, { connectionId: limited.connectionId, trigger: 'cli' })
    const seconds = (performance.now() - t0) / 1000
    const calls = Object.values(s3.objects).reduce((n, o) => n + o.apiCalls, 0)
    const floor = calls / (TIER_PER_10S[args.tier] / 10)
    results.tierBackfill = { seconds: round(seconds), apiCalls: calls, floorSeconds: round(floor), ratioToFloor: round(seconds / floor), status: s3.status }
    await slow.child.stop()
  }
  await sql.end()
} finally {
  for (const c of children) await c.stop()
}

if (args.json) console.log(JSON.stringify(results))
else printReport(results)

function round(n: number) {
  return Math.round(n * 100) / 100
}

function printReport(r: Record<string, any>) {
  console.log(`\nSyncline benchmark — ${r.contacts} contacts, tier ${r.tier}${r.extraProperties ? `, ${r.extraProperties} extra properties each` : ''}`)
  const u = r.unthrottled
  console.log(`  unthrottled backfill   ${u.seconds} s, ${u.recordsPerSecond} records/s, ${u.apiCalls} API calls, peak RSS ${u.peakRssMb} MB`)
  if (u.withExtraValues !== undefined) console.log(`                         ${u.withExtraValues} of ${u.created} contacts hold all ${r.extraProperties} extra properties in crm_properties`)
  if (u.cpuMicrosPerRecord.total !== null) {
    const c = u.cpuMicrosPerRecord
    console.log(`  CPU per record         engine ${c.engine} µs, sandbox ${c.sandbox} µs, database ${c.database} µs = ${c.total} µs → at most ${u.cpuBoundRecordsPerSecond} records/s on ${availableParallelism()} cores`)
  }
  console.log(`  database stage         ${u.databaseStageSeconds} s; raw COPY ${r.copy.seconds} s for ${r.copy.records} rows (fastest of ${r.copy.rounds.join(', ')} s) → ${r.copy.ratio}× COPY per record`)
  console.log(`                         (COPY into a bare copy of the table, no foreign keys or triggers: ${r.copy.bareSeconds} s → ${r.copy.bareRatio}×)`)
  console.log(`                         (COPY of every row it writes, the contacts and their crm_links rows: ${round(r.copy.seconds + r.copy.linksSeconds)} s → ${r.copy.allRowsRatio}×)`)
  if (r.copy.cpuRatio !== null) console.log(`                         database CPU per record: ${u.cpuMicrosPerRecord.database} µs, COPY's ${r.copy.cpuMicrosPerRecord} µs → ${r.copy.cpuRatio}×`)
  if (r.copy.allRowsCpuMicrosPerRecord !== null) {
    console.log(`                         (COPY's of every row it writes: ${r.copy.allRowsCpuMicrosPerRecord} µs → ${round(u.cpuMicrosPerRecord.database / r.copy.allRowsCpuMicrosPerRecord)}×)`)
  }
  console.log(`  naive baseline         ${r.naive.recordsPerSecond} records/s (${r.naive.records} records, the same contact rows) → engine is ${timesFaster(r.naive.speedup)}`)
  console.log(`                         (five columns into a table with only a primary key, as the seeds' own: ${r.naive.skinny.recordsPerSecond} records/s → ${timesFaster(r.naive.skinny.speedup)})`)
  console.log(`  incremental, 1% edited ${r.incremental.changed} changed, ${r.incremental.updated} updated, ${r.incremental.apiCalls} API calls`)
  const a = r.associationCheck
  console.log(`  association check      ${a.moved} moved (associations only), ${a.updated} updated, ${a.apiCalls} API calls, ${a.seconds} s`)
  if (r.tierBackfill) {
    const t = r.tierBackfill
    console.log(`  ${r.tier}-tier backfill      ${t.seconds} s for ${t.apiCalls} calls; API floor ${t.floorSeconds} s → ${t.ratioToFloor}× the floor`)
  }
}
