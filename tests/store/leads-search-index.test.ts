import { describe, expect, it } from 'vitest'
import { countMatchingLeads, recentLeads } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'

// The leads search finds its candidates by trigram index (a search with three letters or
// digits in a row) and keeps its exact test: what it finds is what the test alone found
// before (the `previously` query below, the search as it was before the index).

const sql = testSql()

async function tenantWithLeads() {
  const tenant = await createTenant(sql)
  const [acme] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Acme Robotics') returning id`
  const [unnamed] = await sql`insert into companies (tenant_id, name) values (${tenant}, null) returning id`
  const rows = [
    { email: 'ada@acme.io', first_name: 'Ada', last_name: 'Lovelace', company_id: acme.id },
    { email: 'grace@navy.mil', first_name: 'Grace', last_name: 'Hopper', company_name: 'US Navy' },
    { email: 'percent_50%@odd.io', first_name: 'Odd', last_name: 'Chars' },
    { email: 'back\\slash@odd.io', first_name: null, last_name: 'Slashley' },
    // Its own company field is hidden by the associated company's name, so not searched.
    { email: 'hid@own.io', first_name: 'Hid', last_name: null, company_name: 'Hidden Works', company_id: acme.id },
    // An associated company with no name: the contact's own company field is shown, and searched.
    { email: 'kept@own.io', first_name: 'Kept', last_name: 'Own', company_name: 'Kept Works', company_id: unnamed.id },
    { email: 'gone@acme.io', first_name: 'Gone', last_name: 'Archived', company_id: acme.id, archived_at: new Date() },
  ]
  let minutes = rows.length
  for (const r of rows) {
    await sql`insert into contacts ${sql({ tenant_id: tenant, ...r, updated_at: new Date(Date.now() - minutes-- * 60_000) } as Record<string, unknown>)}`
  }
  // Another workspace's lead and company by the same names: never found from this one.
  const other = await createTenant(sql)
  const [theirs] = await sql`insert into companies (tenant_id, name) values (${other}, 'Acme Robotics') returning id`
  await sql`insert into contacts (tenant_id, email, first_name, last_name, company_id, company_name)
            values (${other}, 'ada@acme.io', 'Ada', 'Lovelace', ${theirs.id}, 'Kept Works')`
  return tenant
}

/** The search as it was before the index (no prefilter): the reference. */
async function previously(tenant: string, search: string): Promise<string[]> {
  const p = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const rows = await sql`
    select c.email from contacts c left join companies co on co.id = c.company_id and co.tenant_id = c.tenant_id
     where c.tenant_id = ${tenant} and c.archived_at is null
       and (c.email ilike ${p} or concat_ws(' ', c.first_name, c.last_name) ilike ${p} or coalesce(co.name, c.company_name) ilike ${p})
     order by c.updated_at desc, c.id`
  return rows.map((r) => r.email)
}

describe('leads search by index: the same leads as the exact test alone', () => {
  it.each([
    { search: 'acme', emails: ['hid@own.io', 'ada@acme.io'] }, // by email or the associated company's name; archived never
    { search: 'ACME robotics', emails: ['hid@own.io', 'ada@acme.io'] },
    { search: 'Ada Love', emails: ['ada@acme.io'] }, // first and last name together
    { search: 'lovelace', emails: ['ada@acme.io'] },
    { search: 'slashley', emails: ['back\\slash@odd.io'] }, // a last name with no first name
    { search: 'hid', emails: ['hid@own.io'] }, // a first name with no last name
    { search: 'navy', emails: ['grace@navy.mil'] },
    { search: 'us navy', emails: ['grace@navy.mil'] }, // the company name a contact carries itself
    { search: 'kept works', emails: ['kept@own.io'] }, // ... shown when its associated company has no name
    { search: 'hidden works', emails: [] }, // ... but not when the associated company's name is shown
    { search: 'acme.io ada', emails: [] }, // across two fields (email, then first name): not a match
    { search: 'lovelace acme', emails: [] }, // across the name and the company
    { search: 'cent_50%', emails: ['percent_50%@odd.io'] }, // % and _ taken literally
    { search: 'cent%50', emails: [] },
    { search: 'k\\sla', emails: ['back\\slash@odd.io'] }, // \ taken literally
    { search: 'k\\\\sla', emails: [] },
    { search: 'gone', emails: [] }, // archived
    // Under three letters in a row: tested without the index, as before.
    { search: 'ad', emails: ['ada@acme.io'] },
    { search: '%', emails: ['percent_50%@odd.io'] },
    { search: '_', emails: ['percent_50%@odd.io'] },
    { search: '\\', emails: ['back\\slash@odd.io'] },
    { search: 'nobody', emails: [] },
  ])('$search', async ({ search, emails }) => {
    const tenant = await tenantWithLeads()
    expect(await previously(tenant, search)).toEqual(emails)
    expect((await recentLeads(sql, tenant, { search })).map((l) => l.email)).toEqual(emails)
    expect(await countMatchingLeads(sql, tenant, search)).toEqual({ n: emails.length, more: false })
  })
})
