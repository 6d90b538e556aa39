import { describe, expect, it } from 'vitest'
import { liveLeadCounts } from '../../lib/store/dashboard'
import { FOLD_COUNT_ROWS, foldLiveContactCounts } from '../../lib/store/live-contact-counts'
import { pruneHistory } from '../../lib/store/retention'
import { migrate } from '../../lib/store/migrate'
import type { Sql } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'
import { freshDatabase } from '../helpers/fresh-database'
import { onServer, SERVER_ONLY, session, until } from '../helpers/interleave'

// The dashboard's lead count is kept by the database as contacts are written (migration
// 20261202162000), not counted at each render: after every kind of write it must equal a
// count of the live contacts, for each workspace.

const sql = testSql()

const counted = async (db: Sql, tenant: string) =>
  (await db`select count(*)::int as n from contacts where tenant_id = ${tenant} and archived_at is null`)[0].n as number

describe('the kept lead count', () => {
  it('equals a count of the live contacts after each kind of write, in each workspace', async () => {
    const [a, b] = [await createTenant(sql), await createTenant(sql)]
    const email = (t: string, e: string) => sql`select id from contacts where tenant_id = ${t} and email = ${e}`.then((r) => r[0].id)
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['one insert of several, one archived', () => sql`insert into contacts (tenant_id, email, archived_at) values
        (${a}, 'a1@x.io', null), (${a}, 'a2@x.io', null), (${a}, 'a3@x.io', now()), (${b}, 'b1@x.io', null)`],
      ['an insert by the sync (no outbox)', () => sql.begin(async (tx) => {
        await tx`select set_config('syncline.writer', 'sync', true)`
        await tx`insert into contacts (tenant_id, email) select ${a}, 'sync' || i || '@x.io' from generate_series(1, 5) i`
      })],
      ['an edit of other fields', () => sql`update contacts set first_name = 'Edited' where tenant_id = ${a}`],
      ['archived', async () => sql`update contacts set archived_at = now() where id = ${await email(a, 'a1@x.io')}`],
      ['archived again (already archived)', async () => sql`update contacts set archived_at = now() where id = ${await email(a, 'a1@x.io')}`],
      ['restored', async () => sql`update contacts set archived_at = null where id = ${await email(a, 'a3@x.io')}`],
      ['moved to another workspace', async () => sql`update contacts set tenant_id = ${b} where id = ${await email(a, 'a2@x.io')}`],
      ['an upsert that inserts one and archives one', async () => sql`
        insert into contacts (id, tenant_id, email, archived_at) values
          (gen_random_uuid(), ${b}, 'b2@x.io', null), (${await email(b, 'b1@x.io')}, ${b}, 'b1@x.io', now())
        on conflict (id) do update set archived_at = excluded.archived_at`],
      ['deleted, live and archived', () => sql`delete from contacts where tenant_id = ${a} and email in ('sync1@x.io', 'a1@x.io')`],
      ['a rolled-back insert', () => sql.begin(async (tx) => {
        await tx`insert into contacts (tenant_id, email) values (${a}, 'never@x.io')`
        throw new Error('rolled back')
      }).catch(() => {})],
    ]
    for (const [what, write] of writes) {
      await write()
      expect({ what, a: (await liveLeadCounts(sql, a)).leads, b: (await liveLeadCounts(sql, b)).leads })
        .toEqual({ what, a: await counted(sql, a), b: await counted(sql, b) })
    }
    expect([(await liveLeadCounts(sql, a)).leads, (await liveLeadCounts(sql, b)).leads]).toEqual([5, 2])
  })

  it("is read by the page, not folded there; the cron's pruning folds a busy tenant's rows and the count stays exact", async () => {
    const [busy, quiet] = [await createTenant(sql), await createTenant(sql)]
    for (let i = 0; i < 120; i++) await sql`insert into contacts (tenant_id, email) values (${busy}, ${`f${i}@x.io`})`
    await sql`insert into contacts (tenant_id, email) values (${quiet}, 'q1@x.io'), (${quiet}, 'q2@x.io')`
    await sql`update contacts set archived_at = now() where tenant_id = ${busy} and email = 'f0@x.io'`
    const rows = (t: string) => sql`select count(*)::int as n from private.live_contact_counts where tenant_id = ${t}`.then((r) => r[0].n)
    expect(await rows(busy)).toBe(121)
    expect((await liveLeadCounts(sql, busy)).leads).toBe(119)
    expect(await rows(busy)).toBe(121)
    expect((await pruneHistory(sql)).leadCounts).toBeGreaterThanOrEqual(1)
    expect([await rows(busy), await rows(quiet)]).toEqual([1, 1])
    expect([(await liveLeadCounts(sql, busy)).leads, (await liveLeadCounts(sql, quiet)).leads]).toEqual([119, 2])
    expect([(await liveLeadCounts(sql, busy)).leads, (await liveLeadCounts(sql, quiet)).leads]).toEqual([await counted(sql, busy), await counted(sql, quiet)])
    await sql`update contacts set archived_at = now() where tenant_id = ${busy} and email = 'f1@x.io'`
    expect((await liveLeadCounts(sql, busy)).leads).toBe(118)
  })

  it.skipIf(!onServer)(`folds beside a writer whose rows are not committed yet, and counts them once they are (${onServer ? 'server' : SERVER_ONLY})`, async () => {
    const tenant = await createTenant(sql)
    for (let i = 0; i <= FOLD_COUNT_ROWS; i++) await sql`insert into contacts (tenant_id, email) values (${tenant}, ${`w${i}@x.io`})`
    const writer = await session()
    try {
      let commit!: () => void
      const committed = new Promise<void>((res) => { commit = res })
      const open = writer.db.begin(async (tx) => {
        await tx`insert into contacts (tenant_id, email) select ${tenant}, 'late' || i || '@x.io' from generate_series(1, 3) i`
        await tx`delete from contacts where tenant_id = ${tenant} and email = 'w0@x.io'`
        await committed
      })
      await until(async () => (await sql`select state from pg_stat_activity where pid = ${writer.pid}`)[0]?.state === 'idle in transaction', 'the writer holds its rows')
      expect(await foldLiveContactCounts(sql)).toBeGreaterThanOrEqual(1)
      expect((await liveLeadCounts(sql, tenant)).leads).toBe(FOLD_COUNT_ROWS + 1)
      commit()
      await open
      expect((await liveLeadCounts(sql, tenant)).leads).toBe(FOLD_COUNT_ROWS + 3)
      expect((await liveLeadCounts(sql, tenant)).leads).toBe(await counted(sql, tenant))
    } finally {
      await writer.db.end({ timeout: 5 })
    }
  })

  it('counts the contacts already there when the migration runs, and none after a truncate', async () => {
    const db = await freshDatabase()
    try {
      await migrate(db.sql)
      const tenant = await createTenant(db.sql)
      await db.sql`insert into contacts (tenant_id, email, archived_at) values (${tenant}, 'a@x.io', null), (${tenant}, 'b@x.io', now())`
      await db.sql`delete from private.live_contact_counts`
      await db.sql.unsafe((await import('node:fs')).readFileSync('supabase/migrations/20261202162000_live_contact_counts.sql', 'utf8'))
      expect((await liveLeadCounts(db.sql, tenant)).leads).toBe(1)
      await db.sql`truncate contacts cascade`
      expect((await liveLeadCounts(db.sql, tenant)).leads).toBe(0)
    } finally {
      await db.drop()
    }
  }, 180_000) // a new database and every migration, on a loaded machine
})
