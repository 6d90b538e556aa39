import { Client } from '@hubspot/api-client'
import { listMigrations, standinsSql } from '../lib/store/migrate'
import { createPGlite } from '../lib/store/pglite-create'
import type { Sql } from '../lib/store/db'
import { SANDBOX_TOKEN } from './fixtures'
import { ownCpuSeconds } from './cpu'

export interface NaiveResult {
  records: number
  /** getAll() plus one upsert per row of the same contact rows the engine wrote, into a table identical to contacts. */
  seconds: number
  /** getAll() plus one upsert per row of five columns into a table with only a primary key: the seeds' own table. */
  skinnySeconds: number
}

/**
 * The naive way the seeds sync: the official SDK's getAll() (everything in memory), then
 * one awaited upsert per row, on one connection. Timed two ways on the same fetch:
 *  - the same rows the engine wrote (its contacts, up to `max`, read back untimed a chunk
 *    at a time) into a table identical to contacts: its indexes, foreign keys and triggers,
 *    as the COPY bar's is. The ratio the issue asks for ("the same rows").
 *  - five of the fetched properties into a table with only a primary key, as the seeds'
 *    own table: the least a per-row loop can do, printed beside it.
 */
export async function naiveBaseline(sql: Sql, baseUrl: string, max: number, tenantId: string): Promise<NaiveResult> {
  await sql`create table if not exists bench_naive (remote_id text primary key, email text, first_name text, last_name text, phone text, job_title text, updated_at timestamptz default now())`
  await sql`truncate bench_naive`
  let started = performance.now()
  const client = new Client({ accessToken: SANDBOX_TOKEN, basePath: baseUrl })
  const all = await client.crm.contacts.getAll(100, undefined, ['email', 'firstname', 'lastname', 'phone', 'jobtitle'])
  const rows = all.slice(0, max) // the portal holds `max` records: nothing fetched is thrown away
  const fetchSeconds = (performance.now() - started) / 1000
  started = performance.now()
  for (const c of rows) {
    const p = c.properties
    await sql`insert into bench_naive (remote_id, email, first_name, last_name, phone, job_title)
              values (${c.id}, ${p.email ?? null}, ${p.firstname ?? null}, ${p.lastname ?? null}, ${p.phone ?? null}, ${p.jobtitle ?? null})
              on conflict (remote_id) do update set email = excluded.email, first_name = excluded.first_name,
                last_name = excluded.last_name, phone = excluded.phone, job_title = excluded.job_title, updated_at = now()`
  }
  const skinnySeconds = fetchSeconds + (performance.now() - started) / 1000

  await createCopyOf(sql, 'contacts', 'identical')
  const conn = await sql.reserve()
  let upsertSeconds = 0
  let written = 0
  try {
    // Its writes are a sync's, as the engine's are: the outbox trigger skips them.
    await conn`select set_config('syncline.writer', 'sync', false)`
    const insert = `insert into bench_copy (${COPY_COLUMNS.join(', ')}) values (${COPY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
                    on conflict (id) do update set ${COPY_COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}`
    let after = '00000000-0000-0000-0000-000000000000'
    while (written < rows.length) {
      const chunk = await sql.unsafe(`select ${COPY_SELECT} from contacts where tenant_id = $1 and id > $2 order by id limit $3`,
        [tenantId, after, Math.min(5_000, rows.length - written)])
      if (chunk.length === 0) break
      const t0 = performance.now()
      for (const r of chunk) await conn.unsafe(insert, COPY_COLUMNS.map((c) => r[c] as never), { prepare: true })
      upsertSeconds += (performance.now() - t0) / 1000
      written += chunk.length
      after = chunk[chunk.length - 1].id as string
    }
  } finally {
    // Embedded PGlite has one session for every connection: the setting must not outlive the loop.
    await conn`select set_config('syncline.writer', '', false)`
    conn.release()
    await sql`drop table bench_copy`
  }
  return { records: written, seconds: fetchSeconds + upsertSeconds, skinnySeconds }
}

const COPY_COLUMNS = ['id', 'tenant_id', 'email', 'phone', 'first_name', 'last_name', 'job_title', 'company_name', 'company_id',
  'lifecycle_stage', 'lead_status', 'description', 'owner_id', 'owner_email', 'last_activity_at', 'lead_source_system', 'source',
  'created_at', 'updated_at', 'crm_properties']
/** The columns as read back: jsonb as its text, so no row's object is built in this heap-capped process. */
const COPY_SELECT = COPY_COLUMNS.map((c) => (c === 'crm_properties' ? 'crm_properties::text as crm_properties' : c)).join(', ')

/** Rows COPY is timed on: enough for a steady rate, few enough to hold as one CSV string. */
export const COPY_SAMPLE = 100_000

/**
 * The COPY of the contacts is timed this many times and the fastest taken: the bar is what a
 * COPY can do, and one run of it on these shared machines has taken anywhere from 5.9 to
 * 10.4 s for the same 100,000 rows, which moved the ratio against it by half (2.17× to 3.19×
 * in two runs of the same code).
 */
export const COPY_ROUNDS = 3

export interface CopyResult {
  records: number
  /** Into a table identical to contacts: its indexes, foreign keys and triggers; the fastest of COPY_ROUNDS. */
  seconds: number
  /** Every round's seconds, in order. */
  rounds: number[]
  /** Into a table with contacts' columns and indexes only (no foreign keys, no triggers). */
  bareSeconds: number
  /** The database's CPU seconds for the COPY into the identical table, where it can be read (see bench/cpu.ts); the least of the rounds. */
  cpuSeconds: number | null
  /**
   * The same records' `crm_links` rows COPYed into a table identical to it, after the
   * contacts: with `seconds`, a COPY of every row the backfill writes.
   */
  linksSeconds: number
  /** The database's CPU seconds for that COPY of the links, where it can be read. */
  linksCpuSeconds: number | null
}

/** Wall seconds and the database's CPU seconds of `fn`, with `databaseCpu` read before and after. */
async function timedWithCpu(databaseCpu: () => number | null, fn: () => Promise<unknown>): Promise<{ seconds: number; cpuSeconds: number | null }> {
  const cpu0 = databaseCpu()
  const started = performance.now()
  await fn()
  const seconds = (performance.now() - started) / 1000
  const cpu1 = databaseCpu()
  return { seconds, cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 }
}

/** The rows the engine wrote for a tenant (up to COPY_SAMPLE, the first by id), as CSV, read a page at a time. */
export async function contactsCsv(sql: Sql, tenantId: string): Promise<{ csv: string; records: number }> {
  const chunks: string[] = []
  let records = 0
  let after = '00000000-0000-0000-0000-000000000000'
  while (records < COPY_SAMPLE) {
    const rows = await sql.unsafe(`select ${COPY_SELECT} from contacts where tenant_id = $1 and id > $2 order by id limit ${Math.min(COPY_SAMPLE - records, 20_000)}`,
      [tenantId, after])
    if (rows.length === 0) break
    chunks.push(toCsv(rows, COPY_COLUMNS))
    records += rows.length
    after = rows[rows.length - 1].id as string
  }
  return { csv: chunks.join(''), records }
}

const LINK_COLUMNS = ['tenant_id', 'connection_id', 'object_type', 'local_id', 'remote_id', 'remote_updated_at', 'synced_hash', 'field_hashes',
  'last_direction', 'last_synced_at', 'sync_version', 'origin', 'match_reason', 'archived_at']

/**
 * As many contact links as `contactsCsv` has rows (the first by local id), as CSV chunks:
 * read a page at a time, so the rows never sit in this heap-capped process all at once.
 */
async function linksCsv(sql: Sql, tenantId: string): Promise<string[]> {
  const chunks: string[] = []
  // The bench's tenant has one connection; (connection, type, local id) is an index.
  const [{ id: connectionId }] = await sql`select id from crm_connections where tenant_id = ${tenantId} limit 1`
  let after = '00000000-0000-0000-0000-000000000000'
  for (let left = COPY_SAMPLE; left > 0;) {
    const rows = await sql.unsafe(`select ${LINK_COLUMNS.join(', ')} from crm_links
                                    where connection_id = $1 and object_type = 'contact' and local_id > $2
                                    order by local_id limit ${Math.min(left, 20_000)}`, [connectionId, after])
    if (rows.length === 0) break
    chunks.push(toCsv(rows, LINK_COLUMNS))
    after = rows[rows.length - 1].local_id as string
    left -= rows.length
  }
  return chunks
}

// The rows the contacts' foreign keys point at, copied (untimed) before the timed COPY.
const REFERENCED = { tenants: 'id', crm_connections: 'tenant_id', owners: 'tenant_id', companies: 'tenant_id' } as const

/**
 * Embedded PGlite has no COPY FROM STDIN over the wire; its raw COPY reads a blob. So the
 * rows are loaded into a fresh in-process PGlite built from the same migrations, straight
 * from memory: the fastest PGlite can take them, and the bar for the database stage.
 */
export async function rawCopyPglite(sql: Sql, tenantId: string): Promise<CopyResult> {
  const { csv, records } = await contactsCsv(sql, tenantId)
  const db = await createPGlite() // the embedded server's own settings
  await db.exec(standinsSql())
  for (const m of listMigrations()) await db.exec(m.sql)
  for (const [table, tenantColumn] of Object.entries(REFERENCED)) {
    const rows = await sql.unsafe(`select * from public.${table} where ${tenantColumn} = $1`, [tenantId])
    if (rows.length === 0) continue
    const cols = Object.keys(rows[0])
    const blob = new Blob([toCsv(rows, cols)])
    await db.query(`copy public.${table} (${cols.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob })
  }
  // This PGlite runs in this process, which is otherwise idle meanwhile: its CPU is the COPY's.
  const timed = (table: string) => timedWithCpu(ownCpuSeconds, () => db.transaction(async (tx) => {
    await tx.query(`select set_config('syncline.writer', 'sync', true)`)
    await tx.query(`copy ${table} (${COPY_COLUMNS.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([csv]) })
  }))
  const { seconds, rounds, cpuSeconds } = await fastestOf(COPY_ROUNDS, async (round) => {
    if (round > 0) await db.exec('truncate public.contacts cascade') // a fresh file for each round, as the first had
    return timed('public.contacts')
  })
  const links = new Blob(await linksCsv(sql, tenantId))
  const { seconds: linksSeconds, cpuSeconds: linksCpuSeconds } = await timedWithCpu(ownCpuSeconds, () => db.transaction(async (tx) => {
    await tx.query(`copy public.crm_links (${LINK_COLUMNS.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: links })
  }))
  await db.exec(`create table bare_copy (like public.contacts including defaults including constraints including indexes)`)
  const bareSeconds = (await timed('bare_copy')).seconds
  await db.close()
  return { records, seconds, rounds, bareSeconds, cpuSeconds, linksSeconds, linksCpuSeconds }
}

/** Runs `fn` `n` times, one after another: the fastest round's seconds, every round's, and the least CPU of any. */
async function fastestOf(n: number, fn: (round: number) => Promise<{ seconds: number; cpuSeconds: number | null }>) {
  const runs: Array<{ seconds: number; cpuSeconds: number | null }> = []
  for (let round = 0; round < n; round++) runs.push(await fn(round))
  const cpus = runs.map((r) => r.cpuSeconds)
  return {
    seconds: Math.min(...runs.map((r) => r.seconds)),
    rounds: runs.map((r) => r.seconds),
    cpuSeconds: cpus.includes(null) ? null : Math.min(...(cpus as number[])),
  }
}

/** The same rows the engine wrote, loaded with one raw COPY into an identical table (and into a bare one). */
export async function rawCopy(sql: Sql, tenantId: string, databaseCpu: () => number | null): Promise<CopyResult> {
  const { csv, records } = await contactsCsv(sql, tenantId)
  const { seconds, rounds, cpuSeconds } = await fastestOf(COPY_ROUNDS, () => copyIntoCopyOf(sql, 'contacts', COPY_COLUMNS, csv, databaseCpu, 'identical'))
  const links = await copyIntoCopyOf(sql, 'crm_links', LINK_COLUMNS, await linksCsv(sql, tenantId), databaseCpu, 'identical')
  const bareSeconds = (await copyIntoCopyOf(sql, 'contacts', COPY_COLUMNS, csv, databaseCpu, 'bare')).seconds
  return { records, seconds, rounds, bareSeconds, cpuSeconds, linksSeconds: links.seconds, linksCpuSeconds: links.cpuSeconds }
}

/** A fresh table `bench_copy` like public.`table`: with its indexes, and (identical) its foreign keys and triggers too. */
async function createCopyOf(sql: Sql, table: string, kind: 'identical' | 'bare'): Promise<void> {
  const setup = [`create table bench_copy (like public.${table} including defaults including constraints including indexes)`]
  if (kind === 'identical') {
    const [{ fks }] = await sql`select coalesce(string_agg(format('alter table bench_copy add %s', pg_get_constraintdef(oid)), '; '), '') as fks
                                from pg_constraint where conrelid = ${'public.' + table}::regclass and contype = 'f'`
    const triggers = await sql`select pg_get_triggerdef(oid) as def from pg_trigger where tgrelid = ${'public.' + table}::regclass and not tgisinternal`
    setup.push(fks, ...triggers.map((t) => (t.def as string).replace(`ON public.${table} `, 'ON bench_copy ')))
  }
  await sql`drop table if exists bench_copy`
  await sql.unsafe(setup.filter(Boolean).join('; '))
}

/**
 * COPY `csv` into a fresh table like public.`table` (see createCopyOf). Timed, with the
 * database's CPU; the table is dropped after.
 */
async function copyIntoCopyOf(sql: Sql, table: string, columns: readonly string[], csv: string | string[], databaseCpu: () => number | null,
  kind: 'identical' | 'bare'): Promise<{ seconds: number; cpuSeconds: number | null }> {
  await createCopyOf(sql, table, kind)
  const result = await timedWithCpu(databaseCpu, () => sql.begin(async (tx) => {
    await tx`select set_config('syncline.writer', 'sync', true)`
    const writable = await tx.unsafe(`copy bench_copy (${columns.join(', ')}) from stdin with (format csv)`).writable()
    await new Promise<void>((resolve, reject) => {
      writable.on('error', reject)
      writable.on('finish', () => resolve())
      for (const chunk of typeof csv === 'string' ? [csv] : csv) writable.write(chunk)
      writable.end()
    })
  }))
  await sql`drop table bench_copy`
  return result
}

function toCsv(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): string {
  return rows.map((r) => columns.map((c) => csvValue(r[c])).join(',')).join('\n') + '\n'
}

function csvValue(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
