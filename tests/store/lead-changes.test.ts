import { describe, expect, it } from 'vitest'
import { liveLeadCounts } from '../../lib/store/dashboard'
import { foldLiveContactCounts } from '../../lib/store/live-contact-counts'
import { migrate } from '../../lib/store/migrate'
import { createTenant, testSql } from '../helpers/db'
import { freshDatabase } from '../helpers/fresh-database'
import { onServer, SERVER_ONLY, session, until } from '../helpers/interleave'

// The dashboard's poller re-renders the leads table when leadChanges (GET /api/crm/status)
// moves. It was the newest contacts.updated_at, which stood still for three changes the table
// shows: a lead deleted outright, an update of owner_email alone, and a write committed by a
// transaction older than one the browser had already seen. Each must move it; nothing else
// (an idle read, another workspace's write, the cron's fold) may.

const sql = testSql()

const lead = async (tenant: string, email: string) =>
  (await sql`insert into contacts (tenant_id, email) values (${tenant}, ${email}) returning id`)[0].id as string

describe('leadChanges, the leads table\'s cue', () => {
  it.each([
    ['a lead deleted outright (not the newest)', async (t: string, older: string) => { await sql`delete from contacts where id = ${older}` }],
    ['an update of owner_email alone (updated_at kept)', async (t: string, older: string) => {
      await sql`update contacts set owner_email = 'rep@example.com' where id = ${older}`
    }],
    ['an edit', async (t: string, older: string) => { await sql`update contacts set first_name = 'Edited' where id = ${older}` }],
    ['a lead added', async (t: string) => { await lead(t, 'added@x.io') }],
    ['a lead archived', async (t: string, older: string) => { await sql`update contacts set archived_at = now() where id = ${older}` }],
  ])('moves for %s', async (_, write) => {
    const tenant = await createTenant(sql)
    const older = await lead(tenant, 'older@x.io')
    await lead(tenant, 'newer@x.io')
    const before = (await liveLeadCounts(sql, tenant)).changes
    await write(tenant, older)
    expect((await liveLeadCounts(sql, tenant)).changes).not.toEqual(before)
  })

  it("stays put while nothing is written, for another workspace's writes, and through the cron's fold", async () => {
    const [tenant, other] = [await createTenant(sql), await createTenant(sql)]
    for (let i = 0; i < 3; i++) await lead(tenant, `l${i}@x.io`)
    await sql`update contacts set first_name = 'Edited' where tenant_id = ${tenant}`
    const before = (await liveLeadCounts(sql, tenant)).changes
    expect((await liveLeadCounts(sql, tenant)).changes).toEqual(before)
    const theirs = await lead(other, 'theirs@x.io')
    await sql`delete from contacts where id = ${theirs}`
    // Updates that reach none of the tenant's live leads: nothing the table shows.
    await sql`update contacts set first_name = 'Again' where tenant_id = ${tenant} and archived_at is not null`
    expect((await liveLeadCounts(sql, tenant)).changes).toEqual(before)
    expect(await foldLiveContactCounts(sql, { minRows: 1 })).toBeGreaterThanOrEqual(1)
    expect((await sql`select count(*)::int as n from private.live_contact_counts where tenant_id = ${tenant}`)[0].n).toBe(1)
    expect((await liveLeadCounts(sql, tenant)).changes).toEqual(before)
  })

  it.skipIf(!onServer)(`moves when a transaction older than the last change seen commits (${onServer ? 'server' : SERVER_ONLY})`, async () => {
    const tenant = await createTenant(sql)
    const [early, late] = [await lead(tenant, 'early@x.io'), await lead(tenant, 'late@x.io')]
    const long = await session()
    try {
      let commit!: () => void
      const committed = new Promise<void>((res) => { commit = res })
      const open = long.db.begin(async (tx) => {
        // Its updated_at is this transaction's start, before the edit committed below.
        await tx`update contacts set first_name = 'Written early, committed last' where id = ${early}`
        await committed
      })
      await until(async () => (await sql`select state from pg_stat_activity where pid = ${long.pid}`)[0]?.state === 'idle in transaction', 'the long transaction holds its edit')
      await sql`update contacts set first_name = 'Written and committed meanwhile' where id = ${late}`
      const seen = (await liveLeadCounts(sql, tenant)).changes
      commit()
      await open
      expect((await sql`select first_name from contacts where id = ${early}`)[0].first_name).toBe('Written early, committed last')
      expect((await liveLeadCounts(sql, tenant)).changes).not.toEqual(seen)
    } finally {
      await long.db.end({ timeout: 5 })
    }
  })

  it('moves on a truncate, never back to a number seen before', async () => {
    const db = await freshDatabase()
    try {
      await migrate(db.sql)
      const tenant = await createTenant(db.sql)
      await db.sql`insert into contacts (tenant_id, email) values (${tenant}, 'a@x.io')`
      await db.sql`update contacts set first_name = 'A' where tenant_id = ${tenant}`
      const before = (await liveLeadCounts(db.sql, tenant)).changes
      await db.sql`truncate contacts cascade`
      expect((await liveLeadCounts(db.sql, tenant)).changes).toBeGreaterThan(before)
    } finally {
      await db.drop()
    }
  }, 180_000) // a new database and every migration, on a loaded machine
})
