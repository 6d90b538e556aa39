import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../lib/store/db'
import { countMatchingLeads, recentLeads } from '../../lib/store/dashboard'
import { followMergedRecord } from '../../lib/store/merges'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { statementOf } from '../helpers/statement-of'

// The plans the dashboard's search and the queries by company_id and owner_id can take
// (EXPLAIN, not ANALYZE: the plan's shape, not its time). Sequential scans are priced out, as
// a million rows would price them: what is asserted is that the index matches the query as
// written (an expression written otherwise than the index's is never used, at any size).

const sql = testSql()

async function planOf(statement: { text: string; params: unknown[] }): Promise<string> {
  return sql.begin(async (tx) => {
    await tx`set local enable_seqscan = off`
    const rows = await tx.unsafe(`explain ${statement.text}`, statement.params as never[])
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  }) as Promise<string>
}

let tenant: string
let acme: string
let owner: string
beforeAll(async () => {
  tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  ;[{ id: owner }] = await sql`insert into owners (tenant_id, connection_id, remote_id, email) values (${tenant}, ${connection}, '1', 'rep@x.io') returning id`
  await sql.begin(async (tx) => {
    // As a sync writes them: nothing for the outbox.
    await tx`select set_config('syncline.writer', 'sync', true)`
    ;[{ id: acme }] = await tx`insert into companies (tenant_id, name, owner_id) values (${tenant}, 'Acme Robotics', ${owner}) returning id`
    // One lead the search finds among many it does not, as in a large workspace.
    await tx`insert into companies (tenant_id, name) select ${tenant}, 'Navy ' || i from generate_series(1, 1000) i`
    await tx`insert into contacts (tenant_id, email, first_name, last_name, company_id, owner_id)
             select ${tenant}, 'lead' || i || '@navy.mil', 'Grace', 'Hopper ' || i, co.id, ${owner}
               from generate_series(1, 20000) i join companies co on co.tenant_id = ${tenant} and co.name = 'Navy ' || (i % 1000 + 1)`
    await tx`insert into contacts (tenant_id, email, first_name, last_name, company_id, owner_id)
             values (${tenant}, 'ada@acme.io', 'Ada', 'Lovelace', ${acme}, ${owner})`
    await tx`insert into deals (tenant_id, name, company_id, owner_id) values (${tenant}, 'A deal', ${acme}, ${owner})`
  })
  await sql`analyze contacts, companies, deals`
}, 120_000)

describe('the leads search can be answered by its indexes', () => {
  it.each([
    ['the page', (db: Db) => recentLeads(db, tenant, { search: 'lovelace', limit: 25 })],
    ['the count', (db: Db) => countMatchingLeads(db, tenant, 'lovelace')],
  ])('%s: the contact text by trigram, the contacts of the matching companies by company_id', async (_, run) => {
    const statement = await statementOf(run)
    const plan = await planOf(statement)
    expect(plan).toContain('contacts_search_idx')
    // (The companies are read by their trigram index too once there are many: at 20,000, on
    // the 1,000,000-contact database; here, by tenant.)
    expect(plan).toContain('contacts_company_idx')
  })
})

describe('a search with no three letters or digits in a row', () => {
  it.each(['ab', 'a b', '%_'])("'%s' is tested as before, with no prefilter (it gives the trigram index nothing to look up)", async (search) => {
    const plan = await planOf(await statementOf((db) => countMatchingLeads(db, tenant, search)))
    expect(plan).not.toContain('contacts_search_idx')
    expect(plan).not.toContain('company_id = ANY')
  })
})

describe('queries by company_id and owner_id read by index', () => {
  it.each([
    ["a company deleted (the foreign key's set null), contacts", () => ({ text: 'update contacts set company_id = null where company_id = $1', params: [acme] }), 'contacts_company_idx'],
    ["a company deleted (the foreign key's set null), deals", () => ({ text: 'update deals set company_id = null where company_id = $1', params: [acme] }), 'deals_company_idx'],
    ["an owner deleted (the foreign key's set null), contacts", () => ({ text: 'update contacts set owner_id = null where owner_id = $1', params: [owner] }), 'contacts_owner_idx'],
    ["an owner deleted (the foreign key's set null), companies", () => ({ text: 'update companies set owner_id = null where owner_id = $1', params: [owner] }), 'companies_owner_idx'],
  ])('%s', async (_, statement, index) => {
    expect(await planOf(statement())).toContain(index)
  })

  it("a merge in HubSpot of two companies the app holds moves the contacts and deals by index", async () => {
    const [other] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Acme Two') returning id`
    const statement = await statementOf((db) => followMergedRecord(db, tenant, 'company', acme, other.id))
    const plan = await planOf(statement)
    expect(plan).toContain('contacts_company_idx')
    expect(plan).toContain('deals_company_idx')
  })
})
