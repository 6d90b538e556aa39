// `npm run bench -- --mode push [--contacts N] [--tier pro|free|enterprise|off] [--json]`: the app's
// rows to HubSpot (bench/push.ts), with the sandbox in its own process and the embedded
// Postgres in its own process or BENCH_DATABASE_URL.
import { z } from 'zod'
import { connect } from '../lib/store/db'
import { commandArgs } from '../scripts/cli-args'
import { BENCH_FLAGS, BENCH_USAGE } from './args'
import { migrate } from '../lib/store/migrate'
import { isLocalServerUrl } from './cpu'
import { startDatabaseProcess, startSandboxProcess } from './processes'
import { printPushBench, runPushBench } from './push'

const args = commandArgs(BENCH_USAGE, BENCH_FLAGS, z.object({
  contacts: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  tier: z.enum(['free', 'pro', 'enterprise', 'off']).default('pro'),
  json: z.boolean().default(false),
}))
const log = (s: string) => { if (!args.json) console.error(s) }

const db = process.env.BENCH_DATABASE_URL ? null : await startDatabaseProcess()
const sql = connect(process.env.BENCH_DATABASE_URL ?? db!.url, { max: 4 })
// Seeded unthrottled for the backfill; the push runs at --tier (bench/push.ts sets it).
const sandbox = await startSandboxProcess(args.contacts, 'off')
try {
  await migrate(sql)
  const cpu = { sandboxPid: sandbox.child.proc.pid, databasePid: db?.child.proc.pid, databaseIsLocalServer: isLocalServerUrl(process.env.BENCH_DATABASE_URL) }
  const result = await runPushBench({ sql, sandboxUrl: sandbox.url, contacts: args.contacts, tier: args.tier, cpu, log })
  if (args.json) console.log(JSON.stringify(result))
  else printPushBench(result, process.env.BENCH_DATABASE_URL ? 'Postgres server (BENCH_DATABASE_URL)' : 'embedded PGlite')
} finally {
  await sql.end({ timeout: 5 })
  await sandbox.child.stop()
  await db?.child.stop()
}
