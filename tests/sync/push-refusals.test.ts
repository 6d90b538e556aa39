import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// What a host app writes to the tables with SQL, past the lead forms' checks, that the push
// cannot send as it is: refused at once with the reason (counted failed, listed on the
// dashboard, backed off), never sent over and over, never sent as something else.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 10, companies: 3, deals: 0, owners: 1, seed: 61 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const remoteAll = async (type: string) => (await control<{ results: SandboxRecord[] }>(sandbox, 'GET', `/records/${type}?limit=100000`)).results
const calls = async () => (await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')).calls
const UPSERT = 'POST /crm/v3/objects/contacts/batch/upsert'
const upserts = async () => (await calls())[UPSERT] ?? 0
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual', objects: ['contact'] })
const uniqueEmail = () => `refused-${randomUUID().slice(0, 8)}@example.com`
const outboxOf = (localId: string) => sql`select attempts, last_error from crm_outbox where local_id = ${localId}`
const linkOf = async (connection: string, localId: string) =>
  (await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${localId}`)[0]?.remote_id as string | undefined

describe('a contact whose email HubSpot has on a record the app holds as another', () => {
  it('fails at once with the reason, counted and listed, backed off, and goes once the app changes the email', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'bidirectional', entities: { company: false, deal: false } })
    await sync(connection)
    const [held] = await sql`
      select c.id, c.email, c.first_name, c.last_name, l.remote_id from contacts c
        join crm_links l on l.local_id = c.id and l.connection_id = ${connection}
       where c.email is not null and c.first_name is not null order by c.email limit 1`
    // The host app's own insert: the same email in capitals, another row.
    const [dup] = await sql`insert into contacts (tenant_id, email, first_name) values (${tenant}, ${held.email.toUpperCase()}, 'DupLocal') returning id`

    const before = await upserts()
    const summary = await sync(connection)
    // One create call, answered "already exists": not a thousand.
    expect((await upserts()) - before).toBe(1)
    expect(summary.status).toBe('partial')
    expect(summary.objects.contacts).toMatchObject({ status: 'partial', failed: 1 })
    const name = `${held.first_name}${held.last_name ? ` ${held.last_name}` : ''}`
    const reason = `HubSpot already has this email on contact ${held.remote_id}, which the app holds as another record, ${name} (${held.id}): `
      + 'merge the two in the app or change the email'
    expect(await outboxOf(dup.id)).toEqual([{ attempts: 1, last_error: reason }])
    const problems = await syncProblems(sql, tenant, connection)
    expect(problems).toContainEqual(expect.objectContaining({ objectType: 'contact', direction: 'push', record: held.email.toUpperCase(), message: reason, attempts: 1 }))
    // The held record keeps its link; the duplicate has none.
    expect(await linkOf(connection, held.id)).toBe(held.remote_id)
    expect(await linkOf(connection, dup.id)).toBeUndefined()

    // Backed off: the next sync does not send it again.
    const next = await upserts()
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect((await upserts()) - next).toBe(0)

    // The app changes the email: the next sync creates it.
    const email = uniqueEmail()
    await sql`update contacts set email = ${email} where id = ${dup.id}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', pushed: 1, failed: 0 })
    const remoteId = await linkOf(connection, dup.id)
    expect((await remoteAll('contacts')).find((r) => r.id === remoteId)?.properties.email).toBe(email)
    expect(await outboxOf(dup.id)).toEqual([])
  })

  it('a create linked to the record HubSpot found, whose link does not take, is sent twice in a run, not a thousand times', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'push', entities: { company: false, deal: false } })
    const email = uniqueEmail()
    const rep = await control<SandboxRecord>(sandbox, 'POST', '/rep/contacts', { properties: { email, firstname: 'Rep' } })
    const [local] = await sql`insert into contacts (tenant_id, email, first_name) values (${tenant}, ${email}, 'Local') returning id`
    // The link to the found record is never written (as if another writer held that record
    // between the push's check and its commit): the entry comes back each round, no further on.
    await sql.unsafe(`
      create table if not exists test_drop_found_links (connection_id uuid primary key);
      create or replace function test_drop_found_links() returns trigger language plpgsql as $$
      begin
        if new.match_reason = 'email' and exists (select 1 from test_drop_found_links where connection_id = new.connection_id) then
          return null;
        end if;
        return new;
      end $$;
      drop trigger if exists test_drop_found_links on crm_links;
      create trigger test_drop_found_links before insert on crm_links for each row execute function test_drop_found_links();`)
    await sql`insert into test_drop_found_links values (${connection})`
    try {
      const before = await upserts()
      const summary = await sync(connection)
      expect((await upserts()) - before).toBe(2)
      expect(summary.objects.contacts).toMatchObject({ status: 'partial', pushed: 0, failed: 1 })
      const [entry] = await outboxOf(local.id)
      expect(entry.attempts).toBe(1)
      expect(entry.last_error).toContain(`HubSpot answered again that it already has this record, as contact ${rep.id}`)
    } finally {
      await sql`delete from test_drop_found_links where connection_id = ${connection}`
    }
  })
})

describe('a value the push cannot send as the app holds it', () => {
  it("an email that is not one: nothing is created in HubSpot, the reason names it, and the app's fix goes", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'bidirectional', entities: { company: false, deal: false } })
    await sync(connection)
    const [row] = await sql`insert into contacts (tenant_id, email, first_name) values (${tenant}, 'not-an-email', 'Bad') returning id`
    const before = await upserts()
    const summary = await sync(connection)
    expect(summary.objects.contacts).toMatchObject({ status: 'partial', pushed: 0, failed: 1 })
    expect((await upserts()) - before).toBe(0)
    expect(await linkOf(connection, row.id)).toBeUndefined()
    expect((await remoteAll('contacts')).filter((r) => r.properties.syncline_id === row.id)).toEqual([])
    const [entry] = await outboxOf(row.id)
    expect(entry).toMatchObject({ attempts: 1 })
    expect(entry.last_error).toMatch(/^email: "not-an-email" is not an email address: /)
    const problems = await syncProblems(sql, tenant, connection)
    expect(problems).toContainEqual(expect.objectContaining({ direction: 'push', record: 'not-an-email', message: entry.last_error }))

    // Fixed in the app: the next sync sends it, with the email.
    const email = uniqueEmail()
    await sql`update contacts set email = ${email} where id = ${row.id}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const remoteId = await linkOf(connection, row.id)
    expect((await remoteAll('contacts')).find((r) => r.id === remoteId)?.properties.email).toBe(email)
  })

  it("a linked contact's email changed to one that is not: HubSpot's email is not cleared, the change fails", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'bidirectional', entities: { company: false, deal: false } })
    await sync(connection)
    const [held] = await sql`
      select c.id, c.email, l.remote_id from contacts c join crm_links l on l.local_id = c.id and l.connection_id = ${connection}
       where c.email is not null order by c.email desc limit 1`
    await sql`update contacts set email = 'still not an email' where id = ${held.id}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ failed: 1 })
    expect((await remoteAll('contacts')).find((r) => r.id === held.remote_id)?.properties.email).toBe(held.email)
    const [entry] = await outboxOf(held.id)
    expect(entry.last_error).toMatch(/^email: "still not an email" is not an email address/)
  })

  it("a contact's phone the CHECK lets in but that is no number, and a lifecycle stage the portal does not have, are refused naming each", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'bidirectional', entities: { company: false, deal: false } })
    await sync(connection)
    const [row] = await sql`insert into contacts (tenant_id, email, phone, lifecycle_stage) values (${tenant}, ${uniqueEmail()}, '+10000000000', 'not_a_stage') returning id`
    const before = await upserts()
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, failed: 1 })
    expect((await upserts()) - before).toBe(0)
    const [entry] = await outboxOf(row.id)
    expect(entry.last_error).toMatch(/^phone: "\+10000000000" is not a phone number; lifecycle_stage: lifecycle stage "not_a_stage" is not one of this HubSpot portal's options: /)
  })

  it("a company's domain and phone that cannot be read are refused, and nothing is created", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'push', entities: { deal: false } })
    const name = `Refused ${randomUUID().slice(0, 6)}`
    const [row] = await sql`insert into companies (tenant_id, name, domain, phone) values (${tenant}, ${name}, 'not a domain', 'call the front desk') returning id`
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['company'] })
    expect(summary.objects.companies).toMatchObject({ pushed: 0, failed: 1 })
    expect((await remoteAll('companies')).filter((r) => r.properties.name === name)).toEqual([])
    const [entry] = await outboxOf(row.id)
    expect(entry.last_error).toMatch(/^domain: "not a domain" is not a domain name; phone: "call the front desk" is not a phone number: /)
  })
})
