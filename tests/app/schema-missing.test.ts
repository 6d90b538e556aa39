import { afterEach, describe, expect, it, vi } from 'vitest'
import { toResponse } from '../../lib/http'
import { testSql } from '../helpers/db'

// A database no migration ran on (or an older schema after a deploy): every route failed as a
// bare 500, "Something went wrong", and the log said `relation "crm_connections" does not
// exist` with nothing about the fix. The answer now names it; Postgres's words stay in the log.

const sql = testSql()
afterEach(() => vi.restoreAllMocks())

describe('a route whose statement meets a table or column the database lacks', () => {
  it.each([
    ['a table', () => sql`select id from crm_connections_not_migrated`, 'crm_connections_not_migrated'],
    ['a column', () => sql`select not_migrated_column from crm_connections`, 'not_migrated_column'],
  ])('%s: 503 that says to run the migrations; the name is logged, not answered', async (_, query, name) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = toResponse(await query().then(() => null, (e: unknown) => e))
    expect(res.status).toBe(503)
    const body = await res.json()
    expect(body.error.code).toBe('schema')
    expect(body.error.message).toMatch(/run `npm run db:migrate`/)
    expect(JSON.stringify(body)).not.toContain(name)
    expect(logged.mock.calls.flat().join(' ')).toContain(name)
  })

  it('any other database error is still the generic 500', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = toResponse(await sql`select 1 / 0`.then(() => null, (e: unknown) => e))
    expect(res.status).toBe(500)
    expect((await res.json()).error.code).toBe('internal')
  })
})
