// `npm run bench -- --mode webhooks`: the webhook figures (freshness, ack latency under
// load), against the embedded Postgres in its own process or BENCH_DATABASE_URL.
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { connect } from '../lib/store/db'
import { migrate } from '../lib/store/migrate'
import { startDatabaseProcess } from './processes'
import { printWebhookBench, runWebhookBench } from './webhooks'

const { values } = parseArgs({ options: { mode: { type: 'string' }, edits: { type: 'string' }, rps: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'boolean' } }, strict: false })
const args = z.object({
  edits: z.coerce.number().int().min(1).max(1_000).default(100),
  rps: z.coerce.number().int().min(1).max(1_000).default(500),
  seconds: z.coerce.number().min(1).max(20).default(5),
  json: z.boolean().default(false),
}).parse({ edits: values.edits, rps: values.rps, seconds: values.seconds, json: values.json })

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
