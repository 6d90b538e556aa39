import { connect, type Sql } from '../../lib/store/db'
import { startEmbeddedPostgres } from '../../lib/store/embedded'

/** An empty database of the same kind as this run's (PGlite or server), for schema tests. */
export async function freshDatabase(): Promise<{ sql: Sql; url: string; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL
  if (!server) {
    const embedded = await startEmbeddedPostgres({ dataDir: null })
    const sql = connect(embedded.url, { max: 1 })
    return { sql, url: embedded.url, drop: async () => { await sql.end(); await embedded.close() } }
  }
  const name = `syncline_fresh_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  const admin = connect(server, { max: 1 })
  await admin.unsafe(`create database ${name}`)
  const u = new URL(server)
  u.pathname = `/${name}`
  const sql = connect(u.toString(), { max: 1 })
  return {
    sql,
    url: u.toString(),
    drop: async () => {
      await sql.end()
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
