// `npm run bench -- --mode webhooks`: the webhook figures (freshness, ack latency under
// load), against the embedded Postgres in its own process or BENCH_DATABASE_URL.
import { z } from 'zod'
import { connect } from '../lib/store/db'
import { commandArgs } from '../scripts/cli-args'
import { BENCH_FLAGS, BENCH_USAGE } from './args'
import { migrate } from '../lib/store/migrate'
import { startDatabaseProcess } from './processes'
import { printWebhookBench, runWebhookBench } from './webhooks'

const args = commandArgs(BENCH_USAGE, BENCH_FLAGS, z.object({
  edits: z.coerce.number().int().min(1).max(1_000).default(100),
  rps: z.coerce.number().int().min(1).max(1_000).default(500),
  seconds: z.coerce.number().min(1).max(20).default(5),
  json: z.boolean().default(false),
}))

const db = process.env.BENCH_DATABASE_URL ? null : await startDatabaseProcess()
const databaseUrl = process.env.BENCH_DATABASE_URL ?? db!.url
const sql = connect(databaseUrl, { max: 10 })
try {
  await migrate(sql)
  const result = await runWebhookBench({ sql, databaseUrl, databasePid: db?.child.proc.pid, ...args, log: args.json ? () => {} : undefined })
  if (args.json) console.log(JSON.stringify(result))
  else printWebhookBench(result)
} finally {
  await sql.end({ timeout: 5 })
  await db?.child.stop()
}
