// npm run db:serve -- [--port P] [--memory] — serves the embedded Postgres (PGlite) on a
// 127.0.0.1 TCP port for other processes (the benchmark, or a CLI session without `npm run dev`).
import { z } from 'zod'
import { env } from '../lib/env'
import { connect } from '../lib/store/db'
import { startEmbeddedPostgres } from '../lib/store/embedded'
import { migrate } from '../lib/store/migrate'
import { commandArgs } from './cli-args'
import { settingsOrExit } from './dev-settings'

const args = commandArgs(`Usage: npm run db:serve -- [--port P] [--memory]

  --port P    the 127.0.0.1 port to serve on (default: a free one); prints {"url": …} once it listens
  --memory    a database in memory, gone when this stops (default: SYNCLINE_DATA_DIR, .data/)`,
{ port: { type: 'string' }, memory: { type: 'boolean' } },
z.object({ port: z.coerce.number().int().min(0).max(65535).default(0), memory: z.boolean().default(false) }))
const embedded = await startEmbeddedPostgres({ dataDir: args.memory ? null : settingsOrExit(env).SYNCLINE_DATA_DIR, port: args.port })
const sql = connect(embedded.url, { max: 1 })
await migrate(sql)
await sql.end()
console.log(JSON.stringify({ url: embedded.url }))
const stop = async () => {
  await embedded.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
