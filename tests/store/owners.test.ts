import { describe, expect, it } from 'vitest'
import type { RemoteOwner } from '../../lib/crm/types'
import { archiveUnlistedOwners, ownerChanges, upsertOwners } from '../../lib/store/owners'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

const sql = testSql()

const owner = (remoteId: string, archived: boolean): RemoteOwner => ({
  remoteId, email: `${remoteId}@example.com`, firstName: 'Ada', lastName: 'Owner', userId: archived ? null : `u${remoteId}`,
  archived, updatedAt: new Date('2026-11-01T10:00:00Z'),
})

describe('upsertOwners', () => {
  it('an owner HubSpot lists unchanged is unchanged on every run, archived or not: its archived_at keeps the time it was first seen archived', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const owners = [owner('1', false), owner('2', true)]
    expect(await upsertOwners(sql, tenant, connection, owners)).toMatchObject({ created: 2, updated: 0 })
    const [first] = await sql`select archived_at from owners where connection_id = ${connection} and remote_id = '2'`
    expect(first.archived_at).not.toBeNull()

    expect(await upsertOwners(sql, tenant, connection, owners)).toMatchObject({ created: 0, updated: 0 })
    // The dry run's counts agree with what the write did.
    expect(await ownerChanges(sql, connection, owners)).toEqual({ created: 0, updated: 0, archived: 0, unchanged: 2 })
    const [again] = await sql`select archived_at from owners where connection_id = ${connection} and remote_id = '2'`
    expect(again.archived_at).toEqual(first.archived_at)
  })

  it.each([
    // HubSpot's archived=true listing names it: archived here, counted so (not as updated).
    ['archived in HubSpot', false, true, { created: 0, updated: 0, archived: 1 }],
    ['restored in HubSpot', true, false, { created: 0, updated: 1, archived: 0 }],
  ])('an owner %s is written once', async (_, before, after, counts) => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    await upsertOwners(sql, tenant, connection, [owner('7', before)])
    expect(await ownerChanges(sql, connection, [owner('7', after)])).toEqual({ ...counts, unchanged: 0 })
    expect(await upsertOwners(sql, tenant, connection, [owner('7', after)])).toMatchObject(counts)
    const [row] = await sql`select archived_at from owners where connection_id = ${connection} and remote_id = '7'`
    expect(row.archived_at !== null).toBe(after)
    expect(await upsertOwners(sql, tenant, connection, [owner('7', after)])).toMatchObject({ updated: 0, archived: 0 })
  })
})

describe('archiveUnlistedOwners', () => {
  it("archives this connection's live owners a complete listing left out, once; a dry run counts them", async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const other = await insertConnection(sql, tenant)
    await upsertOwners(sql, tenant, connection, [owner('1', false), owner('2', false), owner('3', true)])
    await upsertOwners(sql, tenant, other, [owner('2', false)])
    const archivedOf = async (c: string) => Object.fromEntries((await sql`select remote_id, archived_at from owners where connection_id = ${c}`)
      .map((r) => [r.remote_id as string, r.archived_at !== null]))

    expect(await archiveUnlistedOwners(sql, connection, ['1'], true)).toBe(1)
    expect(await archivedOf(connection)).toEqual({ 1: false, 2: false, 3: true })
    expect(await archiveUnlistedOwners(sql, connection, ['1'], false)).toBe(1)
    expect(await archivedOf(connection)).toEqual({ 1: false, 2: true, 3: true })
    // Another connection's owner with the same id is its own.
    expect(await archivedOf(other)).toEqual({ 2: false })
    expect(await archiveUnlistedOwners(sql, connection, ['1'], false)).toBe(0)
    // An empty listing is no answer: nothing is archived.
    expect(await archiveUnlistedOwners(sql, connection, [], false)).toBe(0)
    expect(await archivedOf(connection)).toEqual({ 1: false, 2: true, 3: true })
  })
})
