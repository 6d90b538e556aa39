// npm run dev — everything a newcomer needs on a machine with only Node.js:
// the embedded Postgres (unless DATABASE_URL is set), migrations, the sandbox HubSpot
// (unless HUBSPOT_ACCESS_TOKEN points at a real one), and `next dev`.
import { spawn } from 'node:child_process'
import { env } from '../lib/env'
import { connect } from '../lib/store/db'
import { findRunningEmbedded, startEmbeddedPostgres } from '../lib/store/embedded'
import { migrate } from '../lib/store/migrate'
import { startDevSandbox } from './dev-sandbox'

const e = env()
const port = Number(process.env.PORT ?? 3000)
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`
const cleanups: Array<() => Promise<void>> = []

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

const sandboxEnv = await startDevSandbox({ appUrl, cleanups })

const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'dev', '--port', String(port)], {
  stdio: 'inherit',
  env: { ...process.env, ...sandboxEnv, DATABASE_URL: databaseUrl, APP_URL: appUrl },
})

let stopping = false
async function stop(code: number) {
  if (stopping) return
  stopping = true
  child.kill('SIGTERM')
  for (const c of cleanups.reverse()) await c().catch(() => {})
  process.exit(code)
}
child.on('exit', (code) => void stop(code ?? 0))
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
