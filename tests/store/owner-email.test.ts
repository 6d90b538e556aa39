import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { RemoteOwner } from '../../lib/crm/types'
import { listMigrations, migrate } from '../../lib/store/migrate'
import { upsertOwners } from '../../lib/store/owners'
import { upsertRecords } from '../../lib/store/records'
import type { Sql } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { freshDatabase } from '../helpers/fresh-database'

// owner_email follows owner_id for every writer: a host app's own `update … set owner_id`
// or insert with an owner included, not only the pull (which writes both itself).

const sql = testSql()
const TABLES = ['contacts', 'companies', 'deals'] as const

const owner = (remoteId: string, email: string): RemoteOwner => ({
  remoteId, email, firstName: remoteId, lastName: 'Owner', userId: `u${remoteId}`, archived: false, updatedAt: new Date('2026-11-01T10:00:00Z'),
})

/** A tenant with a connection and two owners, sean and jack: their owners rows' ids. */
async function tenantWithOwners(db: Sql) {
  const tenant = await createTenant(db)
  const connection = await insertConnection(db, tenant)
  await upsertOwners(db, tenant, connection, [owner('1', 'sean@example.com'), owner('2', 'jack@example.com')])
  const rows = await db`select id, remote_id from owners where connection_id = ${connection}`
  const id = (remoteId: string) => rows.find((r) => r.remote_id === remoteId)!.id as string
  return { tenant, connection, sean: id('1'), jack: id('2') }
}
const emailOf = async (db: Sql, table: string, id: string) =>
  (await db.unsafe(`select owner_email from public.${table} where id = $1`, [id]))[0].owner_email as string | null

describe.each(TABLES)('owner_email of %s', (table) => {
  it('an insert with an owner and no email takes the owner\'s email', async () => {
    const t = await tenantWithOwners(sql)
    const [row] = await sql.unsafe(`insert into public.${table} (tenant_id, owner_id) values ($1, $2) returning id, owner_email`, [t.tenant, t.jack])
    expect(row.owner_email).toBe('jack@example.com')
  })

  it('a changed owner_id takes the new owner\'s email; no owner, no email', async () => {
    const t = await tenantWithOwners(sql)
    const [row] = await sql.unsafe(`insert into public.${table} (tenant_id, owner_id) values ($1, $2) returning id`, [t.tenant, t.sean])
    await sql.unsafe(`update public.${table} set owner_id = $2 where id = $1`, [row.id, t.jack])
    expect(await emailOf(sql, table, row.id)).toBe('jack@example.com')
    // Set to the same owner again: nothing changes.
    await sql.unsafe(`update public.${table} set owner_id = $2 where id = $1`, [row.id, t.jack])
    expect(await emailOf(sql, table, row.id)).toBe('jack@example.com')
    await sql.unsafe(`update public.${table} set owner_id = null where id = $1`, [row.id])
    expect(await emailOf(sql, table, row.id)).toBeNull()
  })

  it('a statement that sets both keeps the email it set (the pull\'s own writes)', async () => {
    const t = await tenantWithOwners(sql)
    const [row] = await sql.unsafe(`insert into public.${table} (tenant_id, owner_id, owner_email) values ($1, $2, 'given@example.com') returning id`, [t.tenant, t.sean])
    expect(await emailOf(sql, table, row.id)).toBe('given@example.com')
    await sql.unsafe(`update public.${table} set owner_id = $2, owner_email = 'also-given@example.com' where id = $1`, [row.id, t.jack])
    expect(await emailOf(sql, table, row.id)).toBe('also-given@example.com')
  })

  it("another tenant's owner row (a writer that bypasses row-level security) gives no email", async () => {
    const t = await tenantWithOwners(sql)
    const other = await tenantWithOwners(sql)
    const [row] = await sql.unsafe(`insert into public.${table} (tenant_id, owner_id) values ($1, $2) returning id`, [t.tenant, other.jack])
    expect(await emailOf(sql, table, row.id)).toBeNull()
  })
})

describe('the pull writes owner and email together, as before', () => {
  it('a record pulled with an owner, then with another, has each owner\'s email', async () => {
    const t = await tenantWithOwners(sql)
    const id = randomUUID()
    const write = (ownerRemoteId: string) => upsertRecords(sql, t.tenant, t.connection, 'contact', [
      { id, fields: { email: `${id}@example.com`, ownerRemoteId }, createdAt: new Date() },
    ])
    await write('1')
    expect(await emailOf(sql, 'contacts', id)).toBe('sean@example.com')
    await write('2')
    expect(await emailOf(sql, 'contacts', id)).toBe('jack@example.com')
  })
})

describe('the migration mends rows already stale', () => {
  it('each row takes its owner\'s email (none without one), and keeps its updated_at', async () => {
    const db = await freshDatabase()
    try {
      await migrate(db.sql)
      const t = await tenantWithOwners(db.sql)
      const ids: Record<string, string[]> = {}
      for (const table of TABLES) {
        // Stale as the host app left them: a previous owner's email, none at all, one with no owner.
        const rows = await db.sql.unsafe(`insert into public.${table} (tenant_id, owner_id, owner_email)
                                          values ($1, $2, 'sean@example.com'), ($1, $2, null), ($1, null, 'sean@example.com') returning id`, [t.tenant, t.jack])
        ids[table] = rows.map((r) => r.id as string)
        await db.sql.unsafe(`update public.${table} set owner_email = null where id = $1`, [ids[table][1]])
      }
      const before = await db.sql`select id, updated_at from contacts where tenant_id = ${t.tenant}`
      const mine = listMigrations().find((m) => m.name === 'owner_email_follows_owner')!
      await db.sql.unsafe(mine.sql)
      for (const table of TABLES) {
        expect(await Promise.all(ids[table].map((id) => emailOf(db.sql, table, id))), table).toEqual(['jack@example.com', 'jack@example.com', null])
      }
      expect(await db.sql`select id, updated_at from contacts where tenant_id = ${t.tenant}`).toEqual(before)
    } finally {
      await db.drop()
    }
  })
})
