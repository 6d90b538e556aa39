import fs from 'node:fs'
import path from 'node:path'
import type { Sql } from './db'

// Applies supabase/migrations in order, recording each in the table the Supabase CLI
// itself uses, so `supabase db push` and `npm run db:migrate` agree on what is applied.
// https://supabase.com/docs/reference/cli/supabase-migration-up

// npm scripts, next and vitest all run from the package root.
const root = process.cwd()
const migrationsDir = path.join(/*turbopackIgnore: true*/ root, 'supabase/migrations')
const standins = path.join(/*turbopackIgnore: true*/ root, 'lib/store/supabase-standins.sql')

export interface Migration {
  version: string
  name: string
  sql: string
}

/** What Supabase provides and plain Postgres lacks (roles, auth schema), created where absent; run before the migrations. */
export function standinsSql(): string {
  return fs.readFileSync(standins, 'utf8')
}

export function listMigrations(dir = migrationsDir): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: f.slice(0, 14),
      name: f.slice(15, -4),
      sql: fs.readFileSync(path.join(/*turbopackIgnore: true*/ dir, f), 'utf8'),
    }))
}

/** Applies what is missing; returns the versions applied now. Safe to run concurrently. */
export async function migrate(sql: Sql): Promise<string[]> {
  await sql.begin(async (tx) => {
    // Run migrations over a direct or session connection: this lock, like Supabase's
    // own CLI, needs a real session (not the transaction pooler).
    await tx`select pg_advisory_xact_lock(hashtext('syncline:migrate'))`
    await tx.unsafe(standinsSql())
    await tx.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text primary key, statements text[], name text)`)
  })
  const applied: string[] = []
  for (const m of listMigrations()) {
    await sql.begin(async (tx) => {
      // Serialises concurrent migrators (dev server, CLI, tests) on one table lock.
      await tx.unsafe('lock table supabase_migrations.schema_migrations in exclusive mode')
      const [done] = await tx`select 1 from supabase_migrations.schema_migrations where version = ${m.version}`
      if (done) return
      await tx.unsafe(m.sql)
      await tx`insert into supabase_migrations.schema_migrations (version, statements, name)
               values (${m.version}, ${[m.sql]}, ${m.name})`
      applied.push(m.version)
    })
  }
  return applied
}
