import { inject } from 'vitest'
import { applyPage, pageContext } from '../../lib/crm/pull/apply-page'
import type { ConnectionSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import { connect, type Sql, type Tx } from '../../lib/store/db'
import { emptyCounts } from '../../lib/store/runs'
import { insertConnection } from './fixtures'

// Staging two transactions' interleaving on a Postgres server, without timing: each party
// gets its own connection, whose backend is watched until it waits on a lock. On the
// embedded PGlite transactions run one at a time, so a test holding a row there blocks
// everything: such tests run only with TEST_DATABASE_URL.

export const onServer = !!process.env.TEST_DATABASE_URL
export const SERVER_ONLY = 'needs two concurrent transactions: PGlite serializes them (run with TEST_DATABASE_URL)'

const T0 = Date.parse('2026-01-01T00:00:00Z')
/** `n` hours into the interleaving tests' day: the HubSpot times their records carry. */
export const hours = (n: number) => new Date(T0 + n * 3_600_000)

/** One pull page of contacts applied for a connection as a sync's page is, on `db` (a party's own connection, or the pool). */
export const contactPage = (db: Sql, h: { tenant: string; connection: string }, settings: ConnectionSettings, records: RemoteRecord[]) =>
  applyPage(pageContext(db, { tenantId: h.tenant, id: h.connection }, settings, 'contact', { counts: emptyCounts(), errors: [] }), records, async () => {})

/**
 * A tenant's connection whose stored settings are `settings`, the ones its pages are applied
 * with: a page about to open a conflict weighs it with the stored strategy (see plan in
 * lib/crm/pull/apply-page.ts), as a run's pages find the one the run read.
 */
export async function connectionWith(sql: Sql, tenantId: string, settings: ConnectionSettings): Promise<string> {
  const id = await insertConnection(sql, tenantId)
  await sql`update crm_connections set settings = ${sql.json(settings as never)} where id = ${id}`
  return id
}

/** A one-connection pool, and that connection's backend pid. */
export async function session(): Promise<{ db: Sql; pid: number }> {
  const db = connect(inject('databaseUrl'), { max: 1 })
  const [{ pid }] = await db`select pg_backend_pid() as pid`
  return { db, pid: Number(pid) }
}

/** Polls until `done` (bounded in count; never a time assertion). */
export async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await done()) return
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error(`never happened: ${what}`)
}

/** Whether the backend `pid` waits on a lock now. */
export const waitsOnLock = async (sql: Sql, pid: number) =>
  (await sql`select wait_event_type from pg_stat_activity where pid = ${pid}`)[0]?.wait_event_type === 'Lock'

/** A promise and whether it has settled yet. */
export function track<T>(p: Promise<T>): { p: Promise<T>; settled: () => boolean } {
  let settled = false
  p.then(() => { settled = true }, () => { settled = true })
  return { p, settled: () => settled }
}

/**
 * Stages an app edit in flight: an app transaction runs `write` (its UPDATE of the row) and
 * does not commit; `party` (a page, a decision) runs on a connection of its own until it
 * settles or waits on a lock; then the app commits, and the party finishes. What the party
 * returns (or throws), once its connections are closed.
 */
export async function duringAppEdit<T>(write: (t: Tx) => Promise<unknown>, party: (db: Sql) => Promise<T>): Promise<T> {
  const app = await hold(write)
  // A second connection runs the party, a third watches its backend.
  const [other, watcher] = [await session(), await session()]
  try {
    const running = track(party(other.db))
    try {
      await until(async () => running.settled() || (await waitsOnLock(watcher.db, other.pid)), 'the party waits on the app-edited row')
    } finally {
      await app.release()
    }
    return await running.p
  } finally {
    await Promise.all([other, watcher].map((s) => s.db.end({ timeout: 5 })))
  }
}

/** Runs `lock` (a write, or a SELECT … FOR UPDATE) in a transaction of its own, which holds its locks until `release` commits it. */
export async function hold(lock: (t: Tx) => Promise<unknown>): Promise<{ release: () => Promise<void> }> {
  const holder = await session()
  let let_go!: () => void
  const released = new Promise<void>((r) => { let_go = r })
  let holding!: () => void
  const held = new Promise<void>((r) => { holding = r })
  const tx = holder.db.begin(async (t) => {
    await lock(t)
    holding()
    await released
  })
  await Promise.race([held, tx])
  return {
    release: async () => {
      let_go()
      try {
        await tx
      } finally {
        await holder.db.end({ timeout: 5 })
      }
    },
  }
}

/** Holds a contact's row (FOR UPDATE) in a transaction of its own until `release`. */
export const holdContact = (id: string) => hold((t) => t`select id from contacts where id = ${id} for update`)
