import { Client } from '@hubspot/api-client'
import type { Sql } from '../lib/store/db'
import { SANDBOX_TOKEN } from './fixtures'

/**
 * The naive way the seeds sync: the official SDK's getAll() (everything in memory), then
 * one awaited upsert per row. Measured on up to `max` records; reported as records/s.
 */
export async function naiveBaseline(sql: Sql, baseUrl: string, max: number): Promise<{ records: number; seconds: number }> {
  await sql`create table if not exists bench_naive (remote_id text primary key, email text, first_name text, last_name text, phone text, job_title text, updated_at timestamptz default now())`
  await sql`truncate bench_naive`
  const started = performance.now()
  const client = new Client({ accessToken: SANDBOX_TOKEN, basePath: baseUrl })
  const all = await client.crm.contacts.getAll(100, undefined, ['email', 'firstname', 'lastname', 'phone', 'jobtitle'])
  const rows = all.slice(0, max) // the portal holds `max` records: nothing fetched is thrown away
  for (const c of rows) {
    const p = c.properties
    await sql`insert into bench_naive (remote_id, email, first_name, last_name, phone, job_title)
              values (${c.id}, ${p.email ?? null}, ${p.firstname ?? null}, ${p.lastname ?? null}, ${p.phone ?? null}, ${p.jobtitle ?? null})
              on conflict (remote_id) do update set email = excluded.email, first_name = excluded.first_name,
                last_name = excluded.last_name, phone = excluded.phone, job_title = excluded.job_title, updated_at = now()`
  }
  return { records: rows.length, seconds: (performance.now() - started) / 1000 }
}

const COPY_COLUMNS = ['id', 'tenant_id', 'email', 'phone', 'first_name', 'last_name', 'job_title', 'company_name', 'lifecycle_stage',
  'lead_status', 'description', 'owner_email', 'last_activity_at', 'lead_source_system', 'source', 'created_at', 'updated_at']

/** Rows COPY is timed on: enough for a steady rate, few enough to hold as one CSV string. */
export const COPY_SAMPLE = 100_000

/** The rows the engine wrote for a tenant (up to COPY_SAMPLE), as CSV. */
export async function contactsCsv(sql: Sql, tenantId: string): Promise<{ csv: string; records: number }> {
  const rows = await sql.unsafe(`select ${COPY_COLUMNS.join(', ')} from contacts where tenant_id = $1 limit ${COPY_SAMPLE}`, [tenantId])
  return { csv: rows.map((r) => COPY_COLUMNS.map((c) => csvValue(r[c])).join(',')).join('\n') + '\n', records: rows.length }
}

/**
 * Embedded PGlite has no COPY FROM STDIN over the wire; its raw COPY reads a blob. So the
 * same rows are loaded into a fresh in-process PGlite with the same schema, straight from
 * memory: the fastest PGlite can take them, and the bar for the database stage.
 */
export async function rawCopyPglite(csv: string, records: number): Promise<{ records: number; seconds: number }> {
  const { PGlite } = await import('@electric-sql/pglite')
  const db = await PGlite.create()
  await db.exec(`create table bench_copy (id uuid primary key, tenant_id uuid not null, email text, phone text, first_name text,
    last_name text, job_title text, company_name text, lifecycle_stage text, lead_status text, description text, owner_email text,
    last_activity_at timestamptz, lead_source_system text, source text, created_at timestamptz, updated_at timestamptz);
    create index on bench_copy (tenant_id, lower(email)); create index on bench_copy (tenant_id, phone);
    create index on bench_copy (tenant_id, created_at desc)`)
  const started = performance.now()
  await db.query(`copy bench_copy (${COPY_COLUMNS.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([csv]) })
  const seconds = (performance.now() - started) / 1000
  await db.close()
  return { records, seconds }
}

/** The same rows the engine wrote, loaded with one raw COPY into an identical table. */
export async function rawCopy(sql: Sql, tenantId: string): Promise<{ records: number; seconds: number }> {
  const cols = COPY_COLUMNS
  const { csv } = await contactsCsv(sql, tenantId)
  await sql`drop table if exists bench_copy`
  await sql`create table bench_copy (like contacts including defaults including constraints including indexes)`
  const started = performance.now()
  const writable = await sql.unsafe(`copy bench_copy (${cols.join(', ')}) from stdin with (format csv)`).writable()
  await new Promise<void>((resolve, reject) => {
    writable.on('error', reject)
    writable.on('finish', () => resolve())
    writable.end(csv)
  })
  const seconds = (performance.now() - started) / 1000
  const [{ n }] = await sql`select count(*)::int as n from bench_copy`
  await sql`drop table bench_copy`
  return { records: n, seconds }
}

function csvValue(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = v instanceof Date ? v.toISOString() : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
