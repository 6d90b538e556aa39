// node --import tsx bench/dashboard-search.ts [--url postgres://…/postgres [--keep NAME]] [--contacts 1000000] [--runs 3]
//
// The dashboard's leads search at scale: the page (recentLeads) and the search's count, the
// exact count as it was before 'the count stops' (count(*) of every match) against
// countMatchingLeads (stops past SEARCH_COUNT_CAP), for a common two-letter search, a rare one
// and a trigram one. Without --url, an in-memory PGlite in this process; with it, a new
// database on that server, dropped afterwards (--keep NAME: that database, seeded once and kept,
// to look at its plans by hand). Prints milliseconds, median of --runs.
// Run it under `flock /tmp/bench.lock`.
//
// The data, modelled on the ninth session's 1M databases (bench/RESULTS.md, "the dashboard at
// 1M"): one tenant, 20,000 companies, 20 owners; 1% archived, 20% without a company, 10% with
// only their own company text; written as the sync writes (nothing queued for the outbox).
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { connect, type Sql } from '../lib/store/db'
import { countMatchingLeads, recentLeads } from '../lib/store/dashboard'
import { startEmbeddedPostgres } from '../lib/store/embedded'
import { migrate } from '../lib/store/migrate'

const { values } = parseArgs({ options: { url: { type: 'string' }, keep: { type: 'string' }, contacts: { type: 'string' }, runs: { type: 'string' } } })
const args = z.object({
  url: z.string().url().optional(),
  keep: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  contacts: z.coerce.number().int().min(1000).default(1_000_000),
  runs: z.coerce.number().int().min(1).default(3),
}).parse(values)

/** A rare two-letter text: only in every 100,000th contact's email (no name below has it). */
const RARE = 'qz'
const SEARCHES = ['ab', RARE, 'walsh']

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mason', 'Isla', 'Leo', 'Grace', 'Jack',
  'Chloe', 'Owen', 'Ella', 'Henry', 'Ruby', 'Oscar', 'Abigail', 'Nora']
const LAST = ['Walsh', 'Murphy', 'Kelly', 'Byrne', 'Ryan', "O'Brien", 'Doyle', 'Lynch', 'Nolan', 'Carroll', 'Brennan', 'Flynn',
  'Quinn', 'Dunne', 'Healy', 'Foley', 'Burke', 'Moran', 'Kavanagh', 'Abbott']
const WORDS = ['Cedar', 'Foods', 'Harbor', 'Systems', 'Granite', 'Logistics', 'Maple', 'Studio', 'Summit', 'Energy', 'Willow', 'Health',
  'Atlas', 'Media', 'Copper', 'Retail', 'Pine', 'Capital', 'River', 'Works']

async function seed(sql: Sql, contacts: number): Promise<string> {
  const tenant = randomUUID()
  const connection = randomUUID()
  await sql`insert into tenants (id, name) values (${tenant}, 'Bench')`
  await sql`insert into crm_connections (id, tenant_id, provider, auth_method, portal_id) values (${connection}, ${tenant}, 'hubspot', 'private_app', '1')`
  await sql.begin(async (tx) => {
    await tx`select set_config('syncline.writer', 'sync', true)`
    await tx`insert into owners (tenant_id, connection_id, remote_id, email, first_name, last_name)
             select ${tenant}, ${connection}, i::text, 'rep' || i || '@bench.io', (${FIRST}::text[])[1 + i % 22], (${LAST}::text[])[1 + i % 20]
               from generate_series(1, 20) i`
    await tx`insert into companies (tenant_id, name)
             select ${tenant}, (${WORDS}::text[])[1 + i % 20] || ' ' || (${WORDS}::text[])[1 + (i / 20) % 20] || ' ' || i
               from generate_series(1, 20000) i`
  })
  const batch = 100_000
  for (let from = 1; from <= contacts; from += batch) {
    const to = Math.min(contacts, from + batch - 1)
    await sql.begin(async (tx) => {
      await tx`select set_config('syncline.writer', 'sync', true)`
      await tx`
        with co as (select id, row_number() over (order by id) as k from companies where tenant_id = ${tenant}),
             ow as (select id, email, row_number() over (order by id) as k from owners where tenant_id = ${tenant}),
             g as (select i, (${FIRST}::text[])[1 + (i * 7) % 22] as f, (${LAST}::text[])[1 + (i * 13) % 20] as l from generate_series(${from}::int, ${to}::int) i)
        insert into contacts (tenant_id, email, first_name, last_name, company_id, company_name, owner_id, owner_email, source, archived_at, updated_at)
        select ${tenant},
               case when g.i % 100000 = 0 then ${RARE} || g.i || '@bench.io'
                    else lower(replace(g.f || '.' || g.l, '''', '')) || g.i || '@' || lower((${WORDS}::text[])[1 + g.i % 20]) || '.io' end,
               g.f, g.l,
               co.id,
               case when g.i % 10 = 7 then (${WORDS}::text[])[1 + g.i % 19] || ' Ltd' end,
               ow.id, ow.email, 'crm',
               case when g.i % 100 = 99 then now() end,
               now() - make_interval(secs => ${contacts} - g.i)
          from g join ow on ow.k = 1 + g.i % 20
          left join co on g.i % 10 < 7 and co.k = 1 + g.i % 20000`
    })
    process.stderr.write(`seeded ${to}\n`)
  }
  await sql`analyze contacts, companies, owners`
  return tenant
}

/** The search's count as it was: every match counted (lib/store/dashboard.ts's leadMatch, exact test only for a short text). */
async function exactCount(sql: Sql, tenant: string, search: string): Promise<number> {
  const p = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const exact = sql`and (c.email ilike ${p} or concat_ws(' ', c.first_name, c.last_name) ilike ${p} or coalesce(co.name, c.company_name) ilike ${p})`
  const prefilter = /[\p{L}\p{N}]{3}/u.test(search)
    ? sql`and ((coalesce(c.email, '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.company_name, '')) ilike ${p}
               or c.company_id = any (array(select x.id from companies x where x.tenant_id = ${tenant} and x.name ilike ${p})))`
    : sql``
  const [r] = await sql`
    select count(*)::int as n from contacts c left join companies co on co.id = c.company_id and co.tenant_id = c.tenant_id
     where c.tenant_id = ${tenant} and c.archived_at is null ${prefilter} ${exact}`
  return r.n
}

async function timed<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const times: number[] = []
  let value!: T
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    value = await f()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { ms: Math.round(times[Math.floor(times.length / 2)]), value }
}

const embedded = args.url ? null : await startEmbeddedPostgres({ dataDir: null })
let url = embedded?.url ?? args.url!
const name = args.keep ?? `bench_dashboard_${process.pid}`
const admin = args.url ? connect(args.url, { max: 1 }) : null
if (admin) {
  const [kept] = await admin`select 1 from pg_database where datname = ${name}`
  if (!kept) await admin.unsafe(`create database ${name}`)
  const u = new URL(args.url!)
  u.pathname = `/${name}`
  url = u.toString()
}
const sql = connect(url, { max: 2 })
try {
  await migrate(sql)
  const t0 = performance.now()
  const [kept] = await sql`select id from tenants where name = 'Bench'`
  const tenant: string = kept?.id ?? await seed(sql, args.contacts)
  const seeded = kept ? 'kept from an earlier run' : `seeded in ${Math.round((performance.now() - t0) / 1000)} s`
  console.log(`${args.url ? 'Postgres server' : 'PGlite (in memory)'}, ${args.contacts} contacts ${seeded}; median of ${args.runs}, ms`)
  for (const search of SEARCHES) {
    const page = await timed(args.runs, () => recentLeads(sql, tenant, { search, limit: 25 }))
    const before = await timed(args.runs, () => exactCount(sql, tenant, search))
    const after = await timed(args.runs, () => countMatchingLeads(sql, tenant, search))
    console.log(`'${search}': ${before.value} match; page ${page.ms} (${page.value.length} rows); count before ${before.ms}, after ${after.ms} (${after.value.n}${after.value.more ? '+' : ''})`)
  }
} finally {
  await sql.end()
  if (admin) {
    if (!args.keep) await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
  await embedded?.close()
}
