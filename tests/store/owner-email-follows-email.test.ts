import { describe, expect, it } from 'vitest'
import type { RemoteOwner } from '../../lib/crm/types'
import { followOwnerEmails, ownerChanges, upsertOwners } from '../../lib/store/owners'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// An owner's changed email reaches its records (followOwnerEmails, called by the owners
// pull in the transaction of its upsert), and that is not an edit of them: updated_at stays.

const sql = testSql()
const TABLES = ['contacts', 'companies', 'deals'] as const
const AT = new Date('2026-11-01T10:00:00Z')

const owner = (remoteId: string, email: string, updatedAt = AT): RemoteOwner => ({
  remoteId, email, firstName: remoteId, lastName: 'Owner', userId: `u${remoteId}`, archived: false, updatedAt,
})

async function tenantWithOwners() {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await upsertOwners(sql, tenant, connection, [owner('1', 'sean@example.com'), owner('2', 'jack@example.com')])
  const rows = await sql`select id, remote_id from owners where connection_id = ${connection}`
  const id = (remoteId: string) => rows.find((r) => r.remote_id === remoteId)!.id as string
  return { tenant, connection, sean: id('1'), jack: id('2') }
}
const rowOf = async (table: string, id: string) =>
  (await sql.unsafe(`select owner_email, updated_at from public.${table} where id = $1`, [id]))[0] as unknown as { owner_email: string | null; updated_at: Date }

describe('upsertOwners tells whose email changed', () => {
  it.each([
    ['with HubSpot\'s updatedAt', new Date('2026-11-02T10:00:00Z')],
    ['even should updatedAt not move', AT],
  ])('an owner with a new email %s is updated, and named', async (_, updatedAt) => {
    const t = await tenantWithOwners()
    const next = [owner('1', 'sean.new@example.com', updatedAt), owner('2', 'jack@example.com', new Date('2026-11-02T10:00:00Z'))]
    expect(await ownerChanges(sql, t.connection, next)).toEqual({ created: 0, updated: 2, archived: 0, unchanged: 0 })
    // jack is updated (his updatedAt moved) but his email did not change.
    expect(await upsertOwners(sql, t.tenant, t.connection, next)).toEqual({ created: 0, updated: 2, archived: 0, createdRemoteIds: [], emailChanged: [t.sean] })
    expect(await upsertOwners(sql, t.tenant, t.connection, next)).toMatchObject({ updated: 0, emailChanged: [] })
  })
})

describe.each(TABLES)('followOwnerEmails on %s', (table) => {
  it("the owner's live rows take its email and keep updated_at; archived rows, other owners' rows are left", async () => {
    const t = await tenantWithOwners()
    const insert = async (ownerId: string, archived = false) => (await sql.unsafe(
      `insert into public.${table} (tenant_id, owner_id, archived_at) values ($1, $2, $3) returning id`, [t.tenant, ownerId, archived ? new Date() : null]))[0].id as string
    const live = await insert(t.sean)
    const archived = await insert(t.sean, true)
    const jacks = await insert(t.jack)
    const before = await rowOf(table, live)
    await upsertOwners(sql, t.tenant, t.connection, [owner('1', 'sean.new@example.com', new Date('2026-11-02T10:00:00Z'))])
    expect(await followOwnerEmails(sql, t.tenant, [t.sean])).toBe(1)
    expect(await rowOf(table, live)).toEqual({ owner_email: 'sean.new@example.com', updated_at: before.updated_at })
    expect((await rowOf(table, archived)).owner_email).toBe('sean@example.com')
    expect((await rowOf(table, jacks)).owner_email).toBe('jack@example.com')
    // Run again: nothing left to write.
    expect(await followOwnerEmails(sql, t.tenant, [t.sean])).toBe(0)
  })
})

describe.each(TABLES)('updated_at of %s (the touch trigger)', (table) => {
  it.each([
    ['owner_email alone', `owner_email = 'else@example.com'`, false],
    ['owner_email and another column', `owner_email = 'else@example.com', archived_at = now()`, true],
    ['another column alone', 'archived_at = now()', true],
    ['owner_id (its email follows)', 'owner_id = $2', true],
    ['nothing at all (same values)', 'owner_email = owner_email', true],
  ])('%s: moved %s', async (_, set, moves) => {
    const t = await tenantWithOwners()
    // Dated an hour back: an update in the same microsecond as the insert would otherwise read as not moved.
    const [row] = await sql.unsafe(`insert into public.${table} (tenant_id, owner_id, updated_at) values ($1, $2, now() - interval '1 hour') returning id, updated_at`, [t.tenant, t.sean])
    await sql.unsafe(`update public.${table} set ${set} where id = $1 and $2::uuid is not null`, [row.id, t.jack])
    const after = await rowOf(table, row.id)
    expect(after.updated_at.getTime() !== (row.updated_at as Date).getTime()).toBe(moves)
  })
})
