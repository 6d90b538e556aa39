import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { standinsSql } from '../../lib/store/migrate'
import { testSql } from '../helpers/db'

// `npm run db:migrate` against a Supabase project (README, deploying): the stand-ins run first,
// as Supabase's `postgres` role, which since 2025-04-21 may use the auth schema but not create
// in it. Everything they stand in for exists there, so they must leave it alone.
// https://supabase.com/changelog/34270-restricting-access-on-auth-storage-and-realtime-schemas-on-april-21-2025
const sql = testSql()

describe('the Supabase stand-ins on a database that has them already', () => {
  it('run as a role that may use the auth schema but not create in it, as on Supabase', async () => {
    // The test database has auth.users and auth.uid() (its own stand-ins made them).
    const role = `supabase_like_${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const [{ db }] = await sql<{ db: string }[]>`select current_database() as db`
    await sql.unsafe(`create role ${role} nologin`)
    try {
      // What Supabase's postgres may do: create schemas in the database, use (not create in) auth.
      await sql.unsafe(`grant create on database "${db}" to ${role}`)
      await sql.unsafe(`grant usage on schema auth to ${role}`)
      const outcome = await sql
        .begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`)
          await tx.unsafe(standinsSql())
          // Rolled back: the check is only that nothing above was refused.
          throw new Rollback()
        })
        .catch((e: unknown) => (e instanceof Rollback ? 'ran' : e))
      expect(outcome).toBe('ran')
    } finally {
      await sql.unsafe(`revoke usage on schema auth from ${role}`)
      await sql.unsafe(`revoke create on database "${db}" from ${role}`)
      await sql.unsafe(`drop role ${role}`)
    }
  })
})

class Rollback extends Error {}
