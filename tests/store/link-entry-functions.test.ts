import { describe, expect, it } from 'vitest'
import { testSql } from '../helpers/db'

// The SQL readers of link entries (supabase/migrations: private.entry_id, entry_names,
// listed_contacts) against the format lib/crm/reference-entry.ts and deal-contacts.ts write.

const sql = testSql()

describe('link entry functions', () => {
  it.each([
    ['@company:#4711', '4711'],
    ['email:0123456789ab,@company:#4711,ownerRemoteId:#9', '4711'],
    ['email:0123456789ab,@company:#4711', '4711'],
    ['@company:#a_b-C', 'a_b-C'],
    ['@company:empty', null],
    ['@company:0123456789ab', null],
    ['x@company:#1', null],
    ['email:0123456789ab', null],
    ['', null],
  ])('entry_id(%j, "@company") is %j', async (fieldHashes, id) => {
    const [row] = await sql`select private.entry_id(${fieldHashes}, '@company') as id`
    expect(row.id).toBe(id)
  })

  it.each([
    ['@company:#4711', '4711', true],
    ['@company:#47110', '4711', false],
    ['a:b,@company:#4711,c:d', '4711', true],
    ['ownerRemoteId:#4711', '4711', false],
  ])('entry_names(%j, "@company", %j) is %j', async (fieldHashes, id, named) => {
    const [row] = await sql`select private.entry_names(${fieldHashes}, '@company', ${id}) as named`
    expect(row.named).toBe(named)
  })

  it.each([
    ['@contacts:=101.102', ['101', '102']],
    ['a:b,@contacts:=7,c:d', ['7']],
    ['@contacts:=', []],
    ['@contacts:0123456789ab', []],
    ['', []],
  ])('listed_contacts(%j) is %j', async (fieldHashes, ids) => {
    const [row] = await sql`select private.listed_contacts(${fieldHashes}) as ids`
    expect(row.ids).toEqual(ids)
  })
})
