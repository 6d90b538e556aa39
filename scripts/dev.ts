// npm run dev — everything a newcomer needs on a machine with only Node.js:
// the embedded Postgres (unless DATABASE_URL is set), migrations, the sandbox HubSpot
// (unless HUBSPOT_ACCESS_TOKEN points at a real one), and `next dev`.
import { spawn } from 'node:child_process'
import { env } from '../lib/env'
import { connect } from '../lib/store/db'
import { findRunningEmbedded, startEmbeddedPostgres } from '../lib/store/embedded'
import { migrate } from '../lib/store/migrate'
import { devCronEnabled, devCronSecret, startDevCron } from './dev-cron'
import { nextFireAfter, parseCronSchedule, vercelSyncCron } from './dev-cron-schedule'
import { firstTakenPort, isAddressInUse, portTakenMessage, type DevPort } from './dev-ports'
import { devAppUrl, devSandboxPort, startDevSandbox } from './dev-sandbox'
import { devSettings, settingsOrExit } from './dev-settings'
import { warmUp } from './dev-warm'

// A bad setting (the app's or dev's own) is the list of every problem, before anything starts.
const [e, { PORT: port }] = settingsOrExit(() => [env(), devSettings()] as const)
// This machine only, as the sandbox: the embedded workspace has no sign-in, so `next dev`'s own
// default (every interface) would hand it to anyone on the network. 0.0.0.0 opens it (a container).
// By name, localhost: next dev then prints the address APP_URL names. Printing 127.0.0.1 sent
// people to another origin than APP_URL's, where the OAuth flow's cookie is not sent back.
const host = process.env.SYNCLINE_DEV_HOST || 'localhost'
const appUrl = process.env.APP_URL ?? devAppUrl(host, port)
const cleanups: Array<() => Promise<void>> = []
// vercel.json's cron, run here too (scripts/dev-cron.ts); a bad SYNCLINE_DEV_CRON or schedule stops before anything starts.
const [cronOn, cron, cronSchedule] = (() => {
  try {
    const on = devCronEnabled()
    const c = on ? vercelSyncCron() : null
    return [on, c, c && parseCronSchedule(c.schedule)] as const
  } catch (err) {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  }
})()
const cronSecret = cron ? devCronSecret() : undefined

async function portTaken(p: DevPort): Promise<never> {
  console.error(portTakenMessage(p))
  for (const c of cleanups.reverse()) await c().catch(() => {})
  process.exit(1)
}

// Before the database starts: a taken port is one line, not a stack trace after migrations.
const sandboxPort = devSandboxPort()
const taken = await firstTakenPort([{ what: 'the app (next dev)', port, envVar: 'PORT', host }, ...(sandboxPort ? [sandboxPort] : [])])
if (taken) await portTaken(taken)

let databaseUrl = e.DATABASE_URL
if (!databaseUrl) {
  databaseUrl = await findRunningEmbedded(e.SYNCLINE_DATA_DIR)
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: e.SYNCLINE_DATA_DIR })
    cleanups.push(() => embedded.close())
    databaseUrl = embedded.url
  }
  console.log(`▸ Embedded Postgres (PGlite) at ${databaseUrl} — data in ${e.SYNCLINE_DATA_DIR}/`)
}
const sql = connect(databaseUrl, { max: 1 })
const applied = await migrate(sql)
await sql.end()
console.log(applied.length ? `▸ Migrations applied: ${applied.join(', ')}` : '▸ Schema up to date')

// Taken meanwhile (the check above is not a reservation): the same line.
const sandboxEnv = await startDevSandbox({ appUrl, cleanups, dataDir: e.SYNCLINE_DATA_DIR }).catch((err: unknown) => (isAddressInUse(err) && sandboxPort ? portTaken(sandboxPort) : Promise.reject(err)))

const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'dev', '--port', String(port), '--hostname', host], {
  stdio: 'inherit',
  env: { ...process.env, ...sandboxEnv, DATABASE_URL: databaseUrl, APP_URL: appUrl, ...(cronSecret ? { CRON_SECRET: cronSecret } : {}) },
})

// The dashboard and the status route it polls, compiled before anyone opens them (scripts/dev-warm.ts).
const warming = new AbortController()
void warmUp({ origin: devAppUrl(host, port), paths: ['/', '/api/crm/status'], signal: warming.signal, log: (line) => console.log(line) })

if (cron && cronSchedule && cronSecret) {
  const { stop: stopCron } = startDevCron({
    url: `${devAppUrl(host, port)}${cron.path}`, secret: cronSecret, nextFire: (t) => nextFireAfter(cronSchedule, t),
  })
  cleanups.push(async () => stopCron())
  console.log(`▸ Cron: ${cron.path} on vercel.json's schedule (${cron.schedule}, UTC), next at ${nextFireAfter(cronSchedule, new Date()).toISOString().slice(11, 16)} UTC; SYNCLINE_DEV_CRON=off turns it off`)
} else if (!cronOn) {
  console.log('▸ Cron: off (SYNCLINE_DEV_CRON=off)')
}

let stopping = false
async function stop(code: number) {
  if (stopping) return
  stopping = true
  warming.abort()
  child.kill('SIGTERM')
  for (const c of cleanups.reverse()) await c().catch(() => {})
  process.exit(code)
}
child.on('exit', (code) => void stop(code ?? 0))
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
