import { describe, expect, it } from 'vitest'
import { listMigrations, migrate } from '../../lib/store/migrate'
import { freshDatabase } from '../helpers/fresh-database'

const tenantTables = ['owners', 'companies', 'contacts', 'deals', 'deal_contacts', 'crm_connections',
  'crm_links', 'sync_cursors', 'sync_runs', 'webhook_events', 'crm_outbox', 'sync_conflicts', 'sync_retries']

describe('migrations', () => {
  it('apply from zero, then a second run applies nothing', async () => {
    const db = await freshDatabase()
    try {
      const first = await migrate(db.sql)
      expect(first).toEqual(listMigrations().map((m) => m.version))
      expect(await migrate(db.sql)).toEqual([])
      const tables = await db.sql<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = 'public'`
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining([...tenantTables, 'tenants']))
    } finally {
      await db.drop()
    }
  })

  it('every migration file can be re-run on an up-to-date schema without error', async () => {
    const db = await freshDatabase()
    try {
      await migrate(db.sql)
      for (const m of listMigrations()) await db.sql.unsafe(m.sql)
    } finally {
      await db.drop()
    }
  })

  it('every tenant table has tenant_id and row level security on', async () => {
    const db = await freshDatabase()
    try {
      await migrate(db.sql)
      const rows = await db.sql<{ relname: string; relrowsecurity: boolean; has_tenant: boolean }[]>`
        select c.relname, c.relrowsecurity,
               exists (select 1 from information_schema.columns col
                        where col.table_schema = 'public' and col.table_name = c.relname
                          and col.column_name = 'tenant_id') as has_tenant
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relname = any(${tenantTables})`
      expect(rows).toHaveLength(tenantTables.length)
      for (const r of rows) expect(r, r.relname).toMatchObject({ relrowsecurity: true, has_tenant: true })
    } finally {
      await db.drop()
    }
  })
})
