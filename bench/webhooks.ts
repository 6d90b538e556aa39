// Webhook mode of the bench: freshness (a rep's edit → the row in Postgres) and the
// endpoint's ack latency under load. `runWebhookBench(opts)` is what bench/run.ts calls;
// `npx tsx bench/webhooks.ts [--edits N] [--rps R] [--seconds S]` runs it alone.
//
// The route's handler is served by a plain node http server here, not `next start`: the
// figures are the handler's own (verify, validate, one insert), without Next's routing,
// and `after()` is replaced by the same fire-and-forget drain the route schedules. Four
// processes, as deployed: the route (its own process), the database (PGlite's own
// process, or a server), the load generator (a worker thread here, bench/webhook-load.ts)
// and the sandbox. The load starts with WARMUP_SECONDS at the same rate from another
// portal, not counted: the route process is new, and a deployed one would have compiled
// its hot code long before (measured cold, the first seconds ran in V8's baseline tier).
// The CPU each process spent per request during the load is printed too.
// During the ack-load phase processing is deferred until the load ends: the embedded
// database (PGlite) runs one statement at a time, so the processor's large statements
// would queue ahead of acks — on Postgres proper they run side by side. The drain that
// follows is timed and reported too.
import { createServer, type Server } from 'node:http'
import { Worker } from 'node:worker_threads'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import { startHubSpotSandbox, type HubSpotSandbox } from '../sandbox/hubspot/index'
import { sealCredentials } from '../lib/crm/auth/credentials'
import { runSync } from '../lib/crm/sync-service'
import { drainWebhooksSoon } from '../lib/crm/webhooks/background'
import { expandPendingDeliveries, processPendingWebhooks } from '../lib/crm/webhooks/process'
import { receiveHubSpotWebhook, toWebhookResponse } from '../lib/crm/webhooks/hubspot/receive'
import { enableWebhooks } from '../lib/crm/webhooks/manage'
import type { LoadOptions, LoadResult } from './webhook-load'
import { cpuPerUnit, databaseCpuSeconds, isLocalServerUrl, ownCpuSeconds, statCpuSeconds } from './cpu'
import { route } from '../lib/http'
import { createConnection, getConnection } from '../lib/store/connections'
import { connect, type Sql } from '../lib/store/db'
import { migrate } from '../lib/store/migrate'

export interface WebhookBenchOptions {
  sql: Sql
  /** The database `sql` points at: the route is then served from its own process (see `routeInChild`). */
  databaseUrl?: string
  /** The embedded database's process, for its CPU time (a local server's is found by name). */
  databasePid?: number
  /** Rep edits for the freshness figure. */
  edits?: number
  /** Requests per second of 100-event batches, for `seconds` (both capped). */
  rps?: number
  seconds?: number
  contacts?: number
  /** Apply the events after the load (the drain figure); off, the events are only moved into the inbox and counted. */
  drain?: boolean
  log?: (s: string) => void
}

export interface WebhookBenchResult {
  freshness: { edits: number; seen: number; p50Ms: number; p95Ms: number; p99Ms: number; sandboxBatchDelayMs: number }
  ack: { requests: number; ok: number; eventsSent: number; eventsStored: number; eventsLost: number; achievedRps: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number
    /** How late the load generator sent (from the due time to the write, a free socket included): counted in the latency above, not the route's doing. */
    sentLate: { p50Ms: number; p99Ms: number; maxMs: number }
    drain: { events: number; seconds: number; status: string }
    /** Time inside the handler (verify, parse, store), without the socket and queueing. */
    handler?: { p50Ms: number; p95Ms: number; p99Ms: number }
    /** In the route's process, from the request's arrival to the answer written: the handler plus reading the body and the event loop's queue. */
    served?: { p50Ms: number; p95Ms: number; p99Ms: number }
    /** CPU ms per request by process during the load: where the two cores went. */
    cpuMsPerRequest?: { loadGenerator: number | null; route: number | null; database: number | null } }
}

const SECRET = 'sandbox-client-secret'
const MAX_REQUESTS = 10_000
const LOAD_PORTAL = '777001'
const WARMUP_PORTAL = '777002'
const WARMUP_SECONDS = 2

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 100) / 100 : NaN
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface RouteHandle {
  url: string
  /** The route's own process, when it has one. */
  pid?: number
  /** Processing after the answer: on (freshness) or left for the end of the load (ack latency). */
  defer(on: boolean): Promise<void>
  /** Per request since the last reset: time inside the handler, and from its arrival to the answer's last byte. */
  timings(reset?: boolean): Promise<{ handlerMs: number[]; servedMs: number[] }>
  close(): Promise<void>
}

/**
 * The route's handler on 127.0.0.1 (loopback only), with a small control API under
 * /_bench/ so the bench can steer it from another process.
 */
async function serveWebhookRoute(sql: Sql): Promise<{ url: string; server: Server }> {
  let handlerMs: number[] = []
  let servedMs: number[] = []
  let base = ''
  let defer = false
  const POST = route(async (req: Request) => toWebhookResponse(await receiveHubSpotWebhook(req, {
    sql: async () => sql, clientSecret: SECRET, allowV1: false, publicBaseUrl: base, log: () => {},
    schedule: (connectionId) => (defer ? undefined : void drainWebhooksSoon(async () => sql, connectionId)),
  })))
  const server = createServer(async (req, res) => {
    if (req.url?.startsWith('/_bench/')) {
      if (req.url === '/_bench/defer/on' || req.url === '/_bench/defer/off') defer = req.url.endsWith('/on')
      const body = req.url.startsWith('/_bench/handler-ms') ? JSON.stringify({ handlerMs, servedMs }) : '{}'
      if (req.url === '/_bench/handler-ms/reset') [handlerMs, servedMs] = [[], []]
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(body)
    }
    const tArrived = performance.now()
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
    const t0 = performance.now()
    const response = await POST(new Request(base + req.url, { method: 'POST', headers, body: Buffer.concat(chunks) }))
    handlerMs.push(performance.now() - t0)
    res.writeHead(response.status, { 'content-type': 'application/json' })
    res.end(Buffer.from(await response.arrayBuffer()))
    servedMs.push(performance.now() - tArrived)
  })
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url: base, server }
}

// The app in its own process, as `next start` would run it, without the bench's heap cap: under
// the bench's 192 MB cap (there to catch a leak in the sync engine) V8 switches to its
// low-memory mode and runs a full mark-compact every ~170 ms at this load, which is not
// what the deployed route sees.
async function routeInChild(databaseUrl: string): Promise<RouteHandle> {
  const { startChild } = await import('./processes')
  const { child, match } = await startChild('bench/webhooks.ts', ['--serve-route'], /webhook route on (http:\/\/\S+)/, { BENCH_ROUTE_DATABASE_URL: databaseUrl })
  return { ...routeHandle(match[1], () => child.stop()), pid: child.proc.pid }
}

async function routeInProcess(sql: Sql): Promise<RouteHandle> {
  const { url, server } = await serveWebhookRoute(sql)
  return routeHandle(url, async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
}

function routeHandle(url: string, close: () => Promise<void>): RouteHandle {
  const control = (path: string) => fetch(`${url}/_bench/${path}`, { method: 'POST' }).then((r) => r.json())
  return {
    url, close,
    defer: async (on) => void (await control(`defer/${on ? 'on' : 'off'}`)),
    timings: (reset) => control(reset ? 'handler-ms/reset' : 'handler-ms'),
  }
}

async function connectionFor(sql: Sql, sandbox: HubSpotSandbox, portalId: string): Promise<string> {
  const [t] = await sql`insert into tenants (name) values ('webhook bench') returning id`
  const c = await createConnection(sql, {
    tenantId: t.id, authMethod: 'private_app', portalId, apiBaseUrl: sandbox.url,
    credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: sandbox.token }),
    settings: { direction: 'pull', entities: { company: false, deal: false }, lookbackMs: 0, requestsPerTenSeconds: 1000 },
  })
  return c.id
}

async function measureFreshness(sql: Sql, sandbox: HubSpotSandbox, targetUrl: string, edits: number): Promise<WebhookBenchResult['freshness']> {
  const connectionId = await connectionFor(sql, sandbox, String(sandbox.portalId))
  await runSync(sql, { connectionId, trigger: 'cli' })
  await enableWebhooks(sql, (await getConnection(sql, connectionId))!, targetUrl)
  const ids = [...sandbox.state.store.all('contacts').keys()].slice(0, edits)
  const latencies: number[] = []
  for (const [i, id] of ids.entries()) {
    const title = `bench edit ${i}`
    const t0 = performance.now()
    await fetch(`${sandbox.url}/_sandbox/rep/contacts/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { jobtitle: title } }) })
    for (;;) {
      const [row] = await sql`select 1 from contacts c join crm_links l on l.local_id = c.id
                               where l.connection_id = ${connectionId} and l.remote_id = ${String(id)} and c.job_title = ${title}`
      if (row) { latencies.push(performance.now() - t0); break }
      if (performance.now() - t0 > 10_000) break
      await sleep(5)
    }
  }
  return { edits: ids.length, seen: latencies.length, p50Ms: pct(latencies, 50), p95Ms: pct(latencies, 95), p99Ms: pct(latencies, 99), sandboxBatchDelayMs: sandbox.state.config.webhookBatchDelayMs }
}

interface CpuOf { routePid?: number; databasePid?: number; databaseIsLocalServer: boolean }

function cpuNow(of: CpuOf) {
  return { loadGenerator: of.routePid ? ownCpuSeconds() : null, route: of.routePid ? statCpuSeconds(of.routePid) : null, database: databaseCpuSeconds(of) }
}

async function measureAck(sql: Sql, sandbox: HubSpotSandbox, targetUrl: string, rps: number, seconds: number, applyAfter: boolean, cpuOf: CpuOf, afterWarmup: () => Promise<unknown>, log: (s: string) => void): Promise<WebhookBenchResult['ack']> {
  const connectionId = await connectionFor(sql, sandbox, LOAD_PORTAL)
  const objectIds = [...sandbox.state.store.all('contacts').keys()].map(Number)
  const total = Math.min(MAX_REQUESTS, Math.round(rps * seconds))
  await connectionFor(sql, sandbox, WARMUP_PORTAL)
  const webhookLoad: LoadOptions = {
    url: `${targetUrl}/api/webhooks/hubspot`, rps, total, secret: SECRET, portalId: Number(LOAD_PORTAL), appId: sandbox.appId, objectIds,
    warmup: { portalId: Number(WARMUP_PORTAL), requests: Math.round(rps * WARMUP_SECONDS) },
  }
  let cpuBefore = cpuNow(cpuOf)
  // The load generator in a worker thread (bench/webhook-load.ts), apart from the bench's own work.
  // (Workers do not inherit tsx's loader hooks on Node 20, so the worker registers them.)
  const loader = `require('tsx/cjs/api').register(); require(${JSON.stringify(fileURLToPath(new URL('./webhook-load.ts', import.meta.url)))})`
  const worker = new Worker(loader, { eval: true, workerData: { webhookLoad } })
  const load = await new Promise<LoadResult>((resolve, reject) => {
    worker.on('message', (m: 'ready' | LoadResult) => {
      if (m !== 'ready') return resolve(m)
      void afterWarmup().then(() => {
        cpuBefore = cpuNow(cpuOf)
        worker.postMessage('go')
      }, reject)
    })
    worker.once('error', reject)
  })
  const cpuAfter = cpuNow(cpuOf)
  await worker.terminate()
  // This process is the load generator's during the load (the sandbox sits idle); with the
  // route in this process too, the two cannot be told apart and neither is reported.
  const per = cpuPerUnit(cpuBefore, cpuAfter, total)
  const ms = (s: number | null) => (s === null ? null : Math.round(s * 1e5) / 100)
  const cpuMsPerRequest = { loadGenerator: ms(per.loadGenerator), route: ms(per.route), database: ms(per.database) }
  log(`▸ load sent; ${applyAfter ? 'applying' : 'counting'} the events…`)
  const { latencies, lateness, ok } = load
  // Every acknowledged event must end up in the inbox (event ids are unique here).
  const t0 = performance.now()
  let drain: WebhookBenchResult['ack']['drain'] = { events: 0, seconds: 0, status: 'skipped' }
  if (applyAfter) {
    const drained = await processPendingWebhooks(sql, connectionId)
    drain = { events: drained.events, seconds: Math.round((performance.now() - t0) / 10) / 100, status: drained.status }
  } else {
    await expandPendingDeliveries(sql, connectionId)
  }
  const [stored] = await sql`select count(*)::int as n from webhook_events where connection_id = ${connectionId}`
  const eventsSent = total * 100
  return {
    requests: total, ok, eventsSent, eventsStored: stored.n, eventsLost: eventsSent - stored.n, achievedRps: Math.round(total / load.seconds),
    p50Ms: pct(latencies, 50), p95Ms: pct(latencies, 95), p99Ms: pct(latencies, 99), maxMs: pct(latencies, 100), drain, cpuMsPerRequest,
    sentLate: { p50Ms: pct(lateness, 50), p99Ms: pct(lateness, 99), maxMs: pct(lateness, 100) },
  }
}

export async function runWebhookBench(opts: WebhookBenchOptions): Promise<WebhookBenchResult> {
  const log = opts.log ?? ((s: string) => console.error(s))
  const edits = Math.min(opts.edits ?? 100, 1_000)
  const rps = Math.min(opts.rps ?? 500, 1_000)
  const seconds = Math.min(opts.seconds ?? 5, 20)
  const theRoute = opts.databaseUrl ? await routeInChild(opts.databaseUrl) : await routeInProcess(opts.sql)
  const url = theRoute.url
  const sandbox = await startHubSpotSandbox({ port: 0, tier: 'off', searchIndexLagMs: 0, contacts: opts.contacts ?? 500, clientSecret: SECRET, seed: 3 })
  try {
    log(`▸ freshness: ${edits} rep edits → row visible…`)
    const freshness = await measureFreshness(opts.sql, sandbox, url, edits)
    log(`▸ ack latency: ${rps} requests/s of 100-event batches for ${seconds} s on loopback, after ${WARMUP_SECONDS} s of warm-up…`)
    await theRoute.defer(true)
    const cpuOf = { routePid: theRoute.pid, databasePid: opts.databasePid, databaseIsLocalServer: !opts.databasePid && isLocalServerUrl(opts.databaseUrl) }
    const ack = await measureAck(opts.sql, sandbox, url, rps, seconds, opts.drain ?? true, cpuOf, () => theRoute.timings(true), log)
    const { handlerMs, servedMs } = await theRoute.timings()
    ack.handler = { p50Ms: pct(handlerMs, 50), p95Ms: pct(handlerMs, 95), p99Ms: pct(handlerMs, 99) }
    ack.served = { p50Ms: pct(servedMs, 50), p95Ms: pct(servedMs, 95), p99Ms: pct(servedMs, 99) }
    return { freshness, ack }
  } finally {
    await sandbox.close()
    await theRoute.close()
  }
}

export function printWebhookBench(r: WebhookBenchResult): void {
  const f = r.freshness
  const a = r.ack
  console.log(`\nSyncline webhooks`)
  console.log(`  edit → row visible     p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms, p99 ${f.p99Ms} ms (${f.seen}/${f.edits} seen; sandbox batches every ${f.sandboxBatchDelayMs} ms)`)
  console.log(`  ack under load         p50 ${a.p50Ms} ms, p95 ${a.p95Ms} ms, p99 ${a.p99Ms} ms, max ${a.maxMs} ms at ${a.achievedRps} requests/s`)
  console.log(`                         ${a.requests} requests (${a.ok} × 200), ${a.eventsSent} events sent, ${a.eventsStored} stored, ${a.eventsLost} lost`)
  console.log(`  sent late (generator)  p50 ${a.sentLate.p50Ms} ms, p99 ${a.sentLate.p99Ms} ms, max ${a.sentLate.maxMs} ms (part of the ack figure)`)
  if (a.served) console.log(`  arrival → answer       p50 ${a.served.p50Ms} ms, p95 ${a.served.p95Ms} ms, p99 ${a.served.p99Ms} ms (in the route's process)`)
  if (a.handler) console.log(`  inside the handler     p50 ${a.handler.p50Ms} ms, p95 ${a.handler.p95Ms} ms, p99 ${a.handler.p99Ms} ms`)
  const c = a.cpuMsPerRequest
  if (c && c.route !== null) console.log(`  CPU per request        load generator ${c.loadGenerator} ms, route ${c.route} ms, database ${c.database ?? '?'} ms (during the load)`)
  console.log(`  drain after the load   ${a.drain.events} events applied in ${a.drain.seconds} s (${a.drain.status})`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--serve-route')) {
  // The route's process (see `routeInChild`).
  const sql = connect(z.string().parse(process.env.BENCH_ROUTE_DATABASE_URL), { max: 10 })
  const { url, server } = await serveWebhookRoute(sql)
  console.log(`webhook route on ${url}`)
  process.once('SIGTERM', () => {
    server.closeAllConnections()
    server.close(() => void sql.end({ timeout: 5 }).then(() => process.exit(0)))
  })
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { edits: { type: 'string' }, rps: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'boolean' }, 'no-drain': { type: 'boolean' }, 'route-in-process': { type: 'boolean' } } })
  const args = z.object({
    edits: z.coerce.number().int().min(1).max(1_000).default(100),
    rps: z.coerce.number().int().min(1).max(1_000).default(500),
    seconds: z.coerce.number().min(1).max(20).default(5),
    json: z.boolean().default(false),
    'no-drain': z.boolean().default(false),
    /** The route in this process, under its heap cap: for comparison only. */
    'route-in-process': z.boolean().default(false),
  }).parse(values)
  const { startDatabaseProcess } = await import('./processes')
  const db = process.env.BENCH_DATABASE_URL ? null : await startDatabaseProcess()
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? db!.url
  const sql = connect(databaseUrl, { max: 10 })
  try {
    await migrate(sql)
    const result = await runWebhookBench({ sql, databaseUrl: args['route-in-process'] ? undefined : databaseUrl, databasePid: db?.child.proc.pid, ...args, drain: !args['no-drain'] })
    if (args.json) console.log(JSON.stringify(result))
    else printWebhookBench(result)
  } finally {
    await sql.end({ timeout: 5 })
    await db?.child.stop()
  }
}
