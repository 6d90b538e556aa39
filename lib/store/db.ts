import postgres from 'postgres'
import { env } from '../env'
import { findRunningEmbedded, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded'

export type Sql = postgres.Sql
/** A connection or a transaction: store functions accept either. */
export type Db = postgres.Sql | postgres.TransactionSql
export type Tx = postgres.TransactionSql

/**
 * The settings that mark a transaction's writes as the sync's own (see asSyncWriter in
 * lib/crm/pull/apply-page.ts), as a select list: a statement that does something else can
 * take them on too, saving a page a round trip.
 */
export const syncWriterSettings = (db: Db) => db`set_config('syncline.writer', 'sync', true), set_config('synchronous_commit', 'off', true)`

export function usesTransactionPooler(url: string): boolean {
  const u = new URL(url)
  return u.port === '6543' || u.searchParams.get('pgbouncer') === 'true'
}

export function connect(url: string, opts: { max?: number; prepare?: boolean } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    // Supabase's transaction pooler (Supavisor, port 6543) has no prepared statements.
    // https://supabase.com/docs/guides/database/connecting-to-postgres#connection-pooler
    prepare: opts.prepare ?? !usesTransactionPooler(url),
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
  })
}

interface Shared {
  sql?: Promise<Sql>
  embedded?: EmbeddedPostgres
  /** The migrations applied when this process opened the embedded database itself. */
  migratedOnOpen?: string[]
}
// Kept on globalThis so Next's hot reload does not open a new pool per edit.
const shared: Shared = ((globalThis as Record<string, unknown>).__synclineDb ??= {}) as Shared

/** The process-wide pool: DATABASE_URL, else the embedded server (found or started). */
export function getSql(): Promise<Sql> {
  shared.sql ??= (async () => {
    const e = env()
    const url = e.DATABASE_URL ?? (await resolveEmbeddedUrl(e.SYNCLINE_DATA_DIR))
    const prepare = e.DATABASE_PREPARE === undefined ? undefined : e.DATABASE_PREPARE === 'true'
    return connect(url, { max: e.DATABASE_POOL_MAX, prepare })
  })()
  return shared.sql
}

async function resolveEmbeddedUrl(dataDir: string): Promise<string> {
  const running = await findRunningEmbedded(dataDir)
  if (running) return running
  shared.embedded = await startEmbeddedPostgres({ dataDir })
  const { migrate } = await import('./migrate')
  const sql = connect(shared.embedded.url, { max: 1 })
  shared.migratedOnOpen = await migrate(sql)
  await sql.end()
  return shared.embedded.url
}

/**
 * The migrations getSql applied when it opened the embedded database (none when it found one
 * running, or DATABASE_URL is set): `npm run db:migrate` on a fresh data dir reports them, where it
 * said "Schema is up to date" after all of them had just been applied.
 */
export const migratedOnOpen = (): string[] => shared.migratedOnOpen ?? []

export async function closeSql(): Promise<void> {
  const sql = await shared.sql
  shared.sql = undefined
  await sql?.end({ timeout: 5 })
  await shared.embedded?.close()
  shared.embedded = undefined
}
