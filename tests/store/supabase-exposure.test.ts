import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sql } from '../../lib/store/db'
import { migrate, standinsSql } from '../../lib/store/migrate'
import { freshDatabase } from '../helpers/fresh-database'

// What Supabase's Data API (PostgREST, pg_graphql) serves to anyone holding the anon key, or
// to a signed-in user, checked over the whole catalog rather than a list of tables, so a table,
// view or function a later migration adds is covered the day it is added.
// https://supabase.com/docs/guides/database/postgres/row-level-security
// https://supabase.com/docs/guides/api/securing-your-api
//
// Supabase grants anon, authenticated and service_role every privilege on whatever is created in
// the public schema (its default privileges); plain Postgres and PGlite grant nothing, so a
// migration that forgot its revoke would pass here and be open there. This database is given
// Supabase's defaults before the migrations run.
const SUPABASE_DEFAULT_PRIVILEGES = `
  alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
  alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
  alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;`

const ANY_TABLE_PRIVILEGE = 'select, insert, update, delete, truncate, references, trigger'

let db: { sql: Sql; drop(): Promise<void> }
beforeAll(async () => {
  db = await freshDatabase()
  await db.sql.unsafe(standinsSql())
  await db.sql.unsafe(SUPABASE_DEFAULT_PRIVILEGES)
  await migrate(db.sql)
})
afterAll(() => db.drop())

/** Names of the relations of `kinds` in `schema` for which `where` (over c, the pg_class row) holds. */
async function relations(schema: string, kinds: string[], where: string): Promise<string[]> {
  const rows = await db.sql.unsafe<{ relname: string }[]>(`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind = any($2::"char"[]) and (${where}) order by 1`, [schema, kinds])
  return rows.map((r) => r.relname)
}

describe('what the Supabase Data API could serve, over every migration', () => {
  it('every table in public has row level security on', async () => {
    expect(await relations('public', ['r', 'p'], 'not c.relrowsecurity')).toEqual([])
  })

  it('anon (anyone with the project\'s public key) holds no privilege on any table or view, in public or private', async () => {
    for (const schema of ['public', 'private']) {
      expect(await relations(schema, ['r', 'p', 'v', 'm', 'f'], `has_table_privilege('anon', c.oid, '${ANY_TABLE_PRIVILEGE}')`), schema).toEqual([])
    }
  })

  it('a table a signed-in user may touch has a policy for them and a tenant_id (or is tenants/tenant_members, scoped by their own policies)', async () => {
    const reachable = await relations('public', ['r', 'p'], `has_table_privilege('authenticated', c.oid, '${ANY_TABLE_PRIVILEGE}')`)
    expect(reachable.length).toBeGreaterThan(0)
    const unguarded = await relations('public', ['r', 'p'], `has_table_privilege('authenticated', c.oid, '${ANY_TABLE_PRIVILEGE}')
      and (not exists (select 1 from pg_policy p where p.polrelid = c.oid)
           or (c.relname not in ('tenants', 'tenant_members')
               and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)))`)
    expect(unguarded).toEqual([])
  })

  it('no view in public or private: a view reads as its owner, past row level security', async () => {
    for (const schema of ['public', 'private']) {
      expect(await relations(schema, ['v', 'm'], `has_table_privilege('authenticated', c.oid, 'select')`), schema).toEqual([])
    }
  })

  it('the private schema is not for users: no table there is theirs to read or write', async () => {
    expect(await relations('private', ['r', 'p'], `has_table_privilege('authenticated', c.oid, '${ANY_TABLE_PRIVILEGE}')`)).toEqual([])
  })

  it('no function in public (the Data API would serve each as /rpc/<name>); every security definer function pins its search_path', async () => {
    const rows = await db.sql<{ schema: string; name: string; definer: boolean; config: string[] | null }[]>`
      select n.nspname as schema, p.proname as name, p.prosecdef as definer, p.proconfig as config
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private')
         -- Functions an extension installed are the extension's.
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`
    expect(rows.filter((r) => r.schema === 'public').map((r) => r.name)).toEqual([])
    const definers = rows.filter((r) => r.definer)
    expect(definers.length).toBeGreaterThan(0)
    expect(definers.filter((r) => !(r.config ?? []).some((c) => c.startsWith('search_path='))).map((r) => r.name)).toEqual([])
  })

  it('a signed-in user reads no credential column of crm_connections (nor the Nango ids)', async () => {
    const columns = await db.sql<{ column_name: string }[]>`
      select column_name from information_schema.columns
       where table_schema = 'public' and table_name = 'crm_connections'
         and has_column_privilege('authenticated', 'public.crm_connections', column_name, 'select')`
    const readable = columns.map((c) => c.column_name)
    expect(readable).toContain('status')
    for (const secret of ['credentials_encrypted', 'nango_connection_id', 'nango_provider_config_key', 'token_expires_at']) {
      expect(readable, secret).not.toContain(secret)
    }
  })
})
