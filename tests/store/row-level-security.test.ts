import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { insertConnection } from '../helpers/fixtures'
import { createTenant, testSql } from '../helpers/db'
import type { Sql } from '../../lib/store/db'

const sql = testSql()

// Every tenant table gets one row per tenant; a session signed in as a member of
// tenant A must then see A's rows and none of B's.
async function populate(tenant: string): Promise<void> {
  const connection = await insertConnection(sql, tenant)
  const [owner] = await sql`insert into owners (tenant_id, connection_id, remote_id, email)
    values (${tenant}, ${connection}, ${randomUUID()}, 'owner@example.com') returning id`
  const [company] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Acme') returning id`
  const [contact] = await sql`insert into contacts (tenant_id, email, company_id, owner_id)
    values (${tenant}, 'x@example.com', ${company.id}, ${owner.id}) returning id`
  const [deal] = await sql`insert into deals (tenant_id, name, company_id) values (${tenant}, 'Deal', ${company.id}) returning id`
  await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${tenant}, ${deal.id}, ${contact.id})`
  await sql`insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason)
    values (${tenant}, ${connection}, 'contact', ${contact.id}, '1', 'crm', 'created')`
  await sql`insert into sync_cursors (tenant_id, connection_id, object_type) values (${tenant}, ${connection}, 'contact')`
  await sql`insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status)
    values (${tenant}, ${connection}, ${randomUUID()}, 'contact', 'manual', 'success')`
  await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, occurred_at, payload)
    values (${tenant}, ${connection}, 'k1', 'contact.creation', now(), '{}')`
  await sql`insert into sync_conflicts (tenant_id, connection_id, object_type, local_id, remote_id, fields, local_snapshot, remote_snapshot)
    values (${tenant}, ${connection}, 'contact', ${contact.id}, '1', '{email}', '{}', '{}')`
}

/** Runs `fn` as a signed-in Supabase user (role authenticated, their id in the JWT claims), as the Data API would. */
async function signedIn<T>(user: string, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: user, role: 'authenticated' })}, true)`
    await tx.unsafe('set local role authenticated')
    return fn(tx as unknown as Sql)
  }) as Promise<T>
}

/** Tenants A and B with a row in every tenant table each, and a user who is a member of A only. */
async function twoPopulatedTenants(): Promise<{ a: string; b: string; userA: string }> {
  const a = await createTenant(sql, 'A')
  const b = await createTenant(sql, 'B')
  const userA = randomUUID()
  await sql`insert into tenant_members (tenant_id, user_id) values (${a}, ${userA})`
  await populate(a)
  await populate(b)
  return { a, b, userA }
}

const tables = ['owners', 'companies', 'contacts', 'deals', 'deal_contacts', 'crm_connections', 'crm_links',
  'sync_cursors', 'sync_runs', 'webhook_events', 'crm_outbox', 'sync_conflicts']

describe('row level security', () => {
  it('a tenant-A session reads none of tenant B rows in any tenant table', async () => {
    const { a, b, userA } = await twoPopulatedTenants()

    const seen = await signedIn(userA, async (tx) => {
      const out: Record<string, { a: number; b: number }> = {}
      for (const t of tables) {
        // crm_connections exposes only some columns to users, so count on tenant_id.
        const rows = await tx.unsafe(`select tenant_id from public.${t}`)
        out[t] = { a: rows.filter((r) => r.tenant_id === a).length, b: rows.filter((r) => r.tenant_id === b).length }
      }
      const tenants = await tx`select id from tenants`
      return { out, tenants: tenants.map((t) => t.id) }
    })
    for (const t of tables) {
      expect(seen.out[t].b, t).toBe(0)
      expect(seen.out[t].a, t).toBeGreaterThan(0)
    }
    expect(seen.tenants).toEqual([a])
  })

  it('a tenant-A session cannot write a row into tenant B', async () => {
    const a = await createTenant(sql, 'A')
    const b = await createTenant(sql, 'B')
    const userA = randomUUID()
    await sql`insert into tenant_members (tenant_id, user_id) values (${a}, ${userA})`
    const attempt = sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userA })}, true)`
      await tx.unsafe('set local role authenticated')
      await tx`insert into contacts (tenant_id, email) values (${b}, 'intruder@example.com')`
    })
    await expect(attempt).rejects.toThrow(/row-level security/i)
    expect(await sql`select 1 from contacts where tenant_id = ${b}`).toHaveLength(0)
  })

  it('a signed-in user cannot read encrypted CRM credentials', async () => {
    const a = await createTenant(sql, 'A')
    const userA = randomUUID()
    await sql`insert into tenant_members (tenant_id, user_id) values (${a}, ${userA})`
    await insertConnection(sql, a)
    const attempt = sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userA })}, true)`
      await tx.unsafe('set local role authenticated')
      await tx`select credentials_encrypted from crm_connections`
    })
    await expect(attempt).rejects.toThrow(/permission denied/i)
  })

  it("a tenant-A session cannot point its rows at tenant B's rows (company, owner, deal, contact), and can at its own", async () => {
    const { a, b, userA } = await twoPopulatedTenants()
    const [ownA] = await sql`select co.id as company, o.id as owner, c.id as contact, d.id as deal
      from companies co, owners o, contacts c, deals d where co.tenant_id = ${a} and o.tenant_id = ${a} and c.tenant_id = ${a} and d.tenant_id = ${a}`
    const [ofB] = await sql`select co.id as company, o.id as owner, c.id as contact, d.id as deal
      from companies co, owners o, contacts c, deals d where co.tenant_id = ${b} and o.tenant_id = ${b} and c.tenant_id = ${b} and d.tenant_id = ${b}`
    const asA = (statement: (tx: Sql) => Promise<unknown>) => signedIn(userA, statement)
    const before = await sql`select (select count(*)::int from contacts where tenant_id = ${a}) as contacts,
      (select count(*)::int from deal_contacts where tenant_id = ${a}) as deal_contacts,
      (select count(*)::int from contacts where tenant_id = ${a} and company_id = ${ownA.company}) as at_own_company`
    const refused: [string, (tx: Sql) => Promise<unknown>][] = [
      ["a new contact at B's company", (tx) => tx`insert into contacts (tenant_id, email, company_id) values (${a}, 'n@example.com', ${ofB.company})`],
      ["a contact moved to B's company", (tx) => tx`update contacts set company_id = ${ofB.company} where id = ${ownA.contact}`],
      ["a contact given B's owner", (tx) => tx`update contacts set owner_id = ${ofB.owner} where id = ${ownA.contact}`],
      ["a deal at B's company", (tx) => tx`update deals set company_id = ${ofB.company} where id = ${ownA.deal}`],
      ["a company given B's owner", (tx) => tx`update companies set owner_id = ${ofB.owner} where id = ${ownA.company}`],
      ["A's deal listing B's contact", (tx) => tx`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${a}, ${ownA.deal}, ${ofB.contact})`],
    ]
    for (const [name, statement] of refused) await expect(asA(statement), name).rejects.toThrow(/row-level security/i)
    expect(await sql`select (select count(*)::int from contacts where tenant_id = ${a}) as contacts,
      (select count(*)::int from deal_contacts where tenant_id = ${a}) as deal_contacts,
      (select count(*)::int from contacts where tenant_id = ${a} and company_id = ${ownA.company}) as at_own_company`).toEqual(before)

    // Its own rows, and no reference at all, are fine.
    await asA((tx) => tx`insert into contacts (tenant_id, email, company_id, owner_id) values (${a}, 'own@example.com', ${ownA.company}, ${ownA.owner})`)
    await asA((tx) => tx`insert into contacts (tenant_id, email) values (${a}, 'plain@example.com')`)
    await asA((tx) => tx`update deals set company_id = null, owner_id = ${ownA.owner} where id = ${ownA.deal}`)
    expect(await sql`select email from contacts where tenant_id = ${a} and email in ('own@example.com', 'plain@example.com') order by email`)
      .toEqual([{ email: 'own@example.com' }, { email: 'plain@example.com' }])
  })
})
