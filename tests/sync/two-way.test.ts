import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ConnectionSettingsInput } from '../../lib/crm/settings'
import { runSync } from '../../lib/crm/sync-service'
import { decideConflict } from '../../lib/crm/review'
import { updateSettings } from '../../lib/store/connections'
import { syncProblems } from '../../lib/store/dashboard'
import { listFailedEntries } from '../../lib/store/outbox'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// Two-way sync against the sandbox HubSpot and real Postgres: every "Must show" of issue 5
// except the property test (convergence.property.test.ts).

const sql = testSql()
const sandbox = await testSandbox({ contacts: 10, companies: 3, deals: 3, owners: 2, seed: 11 })

interface SandboxRecord { id: string; properties: Record<string, string | null>; associations?: Record<string, { results: { id: string; type?: string }[] }> }
const remoteRecord = (type: string, id: string) => control<SandboxRecord>(sandbox, 'GET', `/records/${type}/${id}`)
const remoteAll = async (type: string) => (await control<{ results: SandboxRecord[] }>(sandbox, 'GET', `/records/${type}?limit=100000`)).results
const stats = async () => (await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')).calls
const sync = (connectionId: string, objects?: Array<'owner' | 'company' | 'contact' | 'deal'>) =>
  runSync(sql, { connectionId, trigger: 'manual', objects })

async function setup(settings: ConnectionSettingsInput = {}) {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, settings)
  await sync(connection)
  return { tenant, connection }
}

const uniqueEmail = () => `lead-${randomUUID().slice(0, 8)}@example.com`

async function insertContact(tenant: string, fields: Record<string, string | null> = {}): Promise<string> {
  const [row] = await sql`insert into contacts ${sql({ tenant_id: tenant, email: uniqueEmail(), first_name: 'Ada', last_name: 'Local', ...fields })} returning id`
  return row.id
}

async function remoteIdOf(connection: string, localId: string): Promise<string> {
  const [link] = await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${localId}`
  return link.remote_id
}

/** A CRM-born contact, pulled, with its local id and remote id. */
async function pulledContact(tenant: string, connection: string) {
  const created = await control<SandboxRecord>(sandbox, 'POST', '/rep/contacts', { properties: { email: uniqueEmail(), firstname: 'Rex', jobtitle: 'Base title' } })
  await sync(connection, ['contact'])
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${created.id}`
  return { localId: link.local_id as string, remoteId: created.id }
}

describe('push and echo suppression', () => {
  it('a dry run counts the changes it would push, across outbox pages, and sends none of them', async () => {
    // A portal of its own: the 521 records this pushes would change what the other cases list.
    const portal = await testSandbox({ contacts: 5, companies: 1, deals: 1, owners: 1, seed: 12 })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, portal, tenant)
    await sync(connection)
    const [lead] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id and l.connection_id = ${connection} limit 1`
    const inCrm = async () => (await control<SandboxRecord>(portal, 'GET', `/records/contacts/${lead.remote_id}`)).properties.jobtitle
    const before = await inCrm()
    await sql`update contacts set job_title = 'Dry-run title' where id = ${lead.id}`
    // More new leads than one page of the outbox (500 entries), so the count must page.
    await sql`insert into contacts (tenant_id, email, first_name) select ${tenant}, 'dry-' || g || '@example.com', 'Dry' from generate_series(1, 520) g`
    const count = async () => (await control<{ total: number }>(portal, 'GET', '/records/contacts?limit=1')).total
    await control(portal, 'DELETE', '/stats')
    const dry = await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['contact'], dryRun: true })
    expect(dry.objects.contacts).toMatchObject({ pushed: 521, failed: 0 })
    // Reads only: no create, update or archive.
    const calls = (await control<{ calls: Record<string, number> }>(portal, 'GET', '/stats')).calls
    expect(Object.keys(calls).filter((k) => !k.startsWith('GET') && !/\/search$|\/batch\/read$/.test(k))).toEqual([])
    expect(await inCrm()).toBe(before)
    expect(await count()).toBe(5)
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n).toBe(521)
    // The real run sends what the dry run counted.
    expect((await sync(connection, ['contact'])).objects.contacts).toMatchObject({ pushed: 521, failed: 0 })
    expect(await inCrm()).toBe('Dry-run title')
    expect(await count()).toBe(525)
  })

  it("a contact's description travels as HubSpot's message property, both ways", async () => {
    const { tenant, connection } = await setup()
    const { localId, remoteId } = await pulledContact(tenant, connection)
    await sql`update contacts set description = 'Met at the summit' where id = ${localId}`
    expect((await sync(connection, ['contact'])).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect((await remoteRecord('contacts', remoteId)).properties.message).toBe('Met at the summit')
    await control(sandbox, 'PATCH', `/rep/contacts/${remoteId}`, { properties: { message: 'Asked for a demo' } })
    await sync(connection, ['contact'])
    const [row] = await sql`select description from contacts where id = ${localId}`
    expect(row.description).toBe('Asked for a demo')
  })

  it('a local edit reaches the sandbox once, and the next sync writes nothing and pushes nothing', async () => {
    const { tenant, connection } = await setup()
    const { localId, remoteId } = await pulledContact(tenant, connection)
    await sql`update contacts set job_title = 'Chief Tester' where id = ${localId}`
    await control(sandbox, 'DELETE', '/stats')

    const first = await sync(connection, ['contact'])
    expect(first.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect((await remoteRecord('contacts', remoteId)).properties.jobtitle).toBe('Chief Tester')
    expect((await stats())['POST /crm/v3/objects/contacts/batch/update']).toBe(1)

    const [before] = await sql`select updated_at from contacts where id = ${localId}`
    const second = await sync(connection, ['contact'])
    expect(second.objects.contacts).toMatchObject({ created: 0, updated: 0, pushed: 0, echoesSuppressed: 1, conflicts: 0 })
    const [after] = await sql`select updated_at from contacts where id = ${localId}`
    expect(after.updated_at).toEqual(before.updated_at)
    expect((await stats())['POST /crm/v3/objects/contacts/batch/update']).toBe(1)
    const [runs] = await sql`select sum(echoes_suppressed)::int as n from sync_runs where connection_id = ${connection} and object_type = 'contact'`
    expect(runs.n).toBeGreaterThanOrEqual(1)

    const third = await sync(connection, ['contact'])
    expect(third.objects.contacts).toMatchObject({ created: 0, updated: 0, pushed: 0, echoesSuppressed: 0 })
  })

  it('a local lead is created in the CRM once, stamped with its origin, and its echo is suppressed', async () => {
    const { tenant, connection } = await setup()
    const localId = await insertContact(tenant, { job_title: 'Founder' })
    const first = await sync(connection, ['contact'])
    expect(first.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const remote = await remoteRecord('contacts', await remoteIdOf(connection, localId))
    expect(remote.properties).toMatchObject({ jobtitle: 'Founder', lead_source_system: 'syncline', syncline_id: localId })
    const [local] = await sql`select lead_source_system, source from contacts where id = ${localId}`
    expect(local).toEqual({ lead_source_system: 'syncline', source: 'manual' })

    const second = await sync(connection, ['contact'])
    expect(second.objects.contacts).toMatchObject({ created: 0, updated: 0, pushed: 0, echoesSuppressed: 1 })
  })

  it("a rep's edit to a record we created is applied locally, not dropped as an echo", async () => {
    const { tenant, connection } = await setup()
    const localId = await insertContact(tenant)
    await sync(connection, ['contact'])
    await sync(connection, ['contact']) // the echo
    const remoteId = await remoteIdOf(connection, localId)
    await control(sandbox, 'PATCH', `/rep/contacts/${remoteId}`, { properties: { jobtitle: 'Promoted by rep' } })

    const summary = await sync(connection, ['contact'])
    expect(summary.objects.contacts).toMatchObject({ updated: 1, pushed: 0, echoesSuppressed: 0 })
    const [row] = await sql`select job_title from contacts where id = ${localId}`
    expect(row.job_title).toBe('Promoted by rep')
  })

  it("a contact's company and a deal's company and contacts are associated in the CRM", async () => {
    const { tenant, connection } = await setup()
    const [company] = await sql`insert into companies ${sql({ tenant_id: tenant, name: 'Acme Local', domain: `acme-${randomUUID().slice(0, 6)}.test` })} returning id`
    const contactId = await insertContact(tenant, { company_id: company.id })
    const [deal] = await sql`insert into deals ${sql({ tenant_id: tenant, name: 'Big deal', stage: 'appointmentscheduled', pipeline: 'default', amount: '1200', company_id: company.id })} returning id`
    await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${tenant}, ${deal.id}, ${contactId})`
    await sync(connection)

    const companyRemote = await remoteIdOf(connection, company.id)
    const contactRemote = await remoteRecord('contacts', await remoteIdOf(connection, contactId))
    const dealRemote = await remoteRecord('deals', await remoteIdOf(connection, deal.id))
    expect(contactRemote.associations?.companies?.results.map((r) => r.id)).toContain(companyRemote)
    expect(dealRemote.associations?.companies?.results.map((r) => r.id)).toContain(companyRemote)
    expect(dealRemote.associations?.contacts?.results.map((r) => r.id)).toContain(contactRemote.id)

    // The associations come back with the echo, recognised as ours.
    const again = await sync(connection)
    for (const o of Object.values(again.objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
    const [row] = await sql`select company_id from contacts where id = ${contactId}`
    expect(row.company_id).toBe(company.id)
  })

  /** Two companies and a contact at the first, all synced (echo included). */
  async function contactAtFirstOfTwoCompanies() {
    const { tenant, connection } = await setup()
    const company = async (name: string) => (await sql`insert into companies ${sql({ tenant_id: tenant, name, domain: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}.test` })} returning id`)[0].id as string
    const [first, second] = [await company('First'), await company('Second')]
    const contactId = await insertContact(tenant, { company_id: first })
    await sync(connection)
    await sync(connection) // the echo
    return { connection, first, second, contactId }
  }

  it("moving a contact to another company makes that the CRM's primary company, takes the old one off, and the next pulls keep it", async () => {
    const { connection, first, second, contactId } = await contactAtFirstOfTwoCompanies()

    await sql`update contacts set company_id = ${second} where id = ${contactId}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const remote = await remoteRecord('contacts', await remoteIdOf(connection, contactId))
    const types = (id: string) => (remote.associations?.companies?.results ?? []).filter((r) => r.id === id).map((r) => r.type).sort()
    // HubSpot would keep the one it replaced associated, unlabelled: the app took it off, so it comes off.
    expect(types(await remoteIdOf(connection, second))).toEqual(['contact_to_company', 'contact_to_company_unlabeled'])
    expect(types(await remoteIdOf(connection, first))).toEqual([])

    for (let i = 0; i < 2; i++) {
      const summary = await sync(connection)
      expect(summary.objects.contacts).toMatchObject({ updated: 0, pushed: 0, failed: 0 })
      const [row] = await sql`select company_id from contacts where id = ${contactId}`
      expect(row.company_id).toBe(second)
    }
  })

  it("moving a deal to another company makes that its primary company in the CRM and takes the old one off", async () => {
    const { tenant, connection } = await setup()
    const company = async (name: string) => (await sql`insert into companies ${sql({ tenant_id: tenant, name, domain: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}.test` })} returning id`)[0].id as string
    const [first, second] = [await company('First'), await company('Second')]
    const [deal] = await sql`insert into deals ${sql({ tenant_id: tenant, name: 'Moving deal', stage: 'appointmentscheduled', pipeline: 'default', company_id: first })} returning id`
    await sync(connection)
    await sync(connection) // the echo

    await sql`update deals set company_id = ${second} where id = ${deal.id}`
    expect((await sync(connection)).objects.deals).toMatchObject({ pushed: 1, failed: 0 })
    const remote = await remoteRecord('deals', await remoteIdOf(connection, deal.id))
    const companies = remote.associations?.companies?.results ?? []
    expect(companies.find((r) => r.type === 'deal_to_company')?.id).toBe(await remoteIdOf(connection, second))
    expect(companies.map((r) => r.id)).not.toContain(await remoteIdOf(connection, first))

    for (let i = 0; i < 2; i++) {
      expect((await sync(connection)).objects.deals).toMatchObject({ updated: 0, pushed: 0, failed: 0 })
      const [row] = await sql`select company_id from deals where id = ${deal.id}`
      expect(row.company_id).toBe(second)
    }
  })

  it("a contact moved to another company in the app stays moved when a rep edits another field before the push", async () => {
    const { connection, second, contactId } = await contactAtFirstOfTwoCompanies()
    const remoteId = await remoteIdOf(connection, contactId)

    await sql`update contacts set company_id = ${second} where id = ${contactId}`
    await control(sandbox, 'PATCH', `/rep/contacts/${remoteId}`, { properties: { jobtitle: 'Edited by a rep meanwhile' } })
    await sync(connection)

    const [row] = await sql`select company_id, job_title from contacts where id = ${contactId}`
    expect(row).toEqual({ company_id: second, job_title: 'Edited by a rep meanwhile' })
    const remote = await remoteRecord('contacts', remoteId)
    const primary = remote.associations?.companies?.results.find((r) => r.type === 'contact_to_company')?.id
    expect(primary).toBe(await remoteIdOf(connection, second))
  })

  it("a contact's company taken off in the app is taken off in the CRM, and the next pulls keep it off", async () => {
    const { connection, first, contactId } = await contactAtFirstOfTwoCompanies()
    const remoteId = await remoteIdOf(connection, contactId)

    await sql`update contacts set company_id = null where id = ${contactId}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const remote = await remoteRecord('contacts', remoteId)
    expect((remote.associations?.companies?.results ?? []).map((r) => r.id)).not.toContain(await remoteIdOf(connection, first))

    for (let i = 0; i < 2; i++) {
      const summary = await sync(connection)
      expect(summary.objects.contacts).toMatchObject({ updated: 0, pushed: 0, failed: 0 })
      const [row] = await sql`select company_id from contacts where id = ${contactId}`
      expect(row.company_id).toBeNull()
    }
  })

  describe("a deal's contacts edited in the app", () => {
    async function dealWithContacts(n: number) {
      const { tenant, connection } = await setup()
      const contacts = [] as string[]
      for (let i = 0; i < n; i++) contacts.push(await insertContact(tenant))
      const [deal] = await sql`insert into deals ${sql({ tenant_id: tenant, name: 'Team deal', stage: 'appointmentscheduled', pipeline: 'default', amount: '10' })} returning id`
      for (const c of contacts.slice(0, 2)) await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${tenant}, ${deal.id}, ${c})`
      await sync(connection)
      await sync(connection) // the echo
      const remote = async () => (await remoteRecord('deals', await remoteIdOf(connection, deal.id))).associations?.contacts?.results.map((r) => r.id).sort() ?? []
      const remoteOf = (i: number) => remoteIdOf(connection, contacts[i])
      const remoteOfAll = async (...is: number[]) => (await Promise.all(is.map(remoteOf))).sort()
      /** A rep adds (PUT) or removes (DELETE) contact i on the deal in HubSpot. */
      const rep = async (method: 'PUT' | 'DELETE', i: number) =>
        control(sandbox, method, `/rep/associations/deals/${await remoteIdOf(connection, deal.id)}/contacts/${await remoteOf(i)}`)
      return { tenant, connection, deal: deal.id as string, contacts, remote, remoteOf, remoteOfAll, rep }
    }

    /** HubSpot holds `expected`, a further sync keeps it so, and the app's deal has the same contacts. */
    async function expectBothHold(d: Awaited<ReturnType<typeof dealWithContacts>>, expected: string[]) {
      expect(await d.remote()).toEqual(expected)
      await sync(d.connection)
      expect(await d.remote()).toEqual(expected)
      expect(await localContacts(d)).toEqual(expected)
    }

    it('a contact taken off and another put on are taken off and put on in the CRM, and stay so', async () => {
      const d = await dealWithContacts(3)
      expect(await d.remote()).toEqual([await d.remoteOf(0), await d.remoteOf(1)].sort())

      await sql`delete from deal_contacts where deal_id = ${d.deal} and contact_id = ${d.contacts[1]}`
      await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${d.tenant}, ${d.deal}, ${d.contacts[2]})`
      expect((await sync(d.connection)).objects.deals).toMatchObject({ pushed: 1, failed: 0 })
      expect(await d.remote()).toEqual([await d.remoteOf(0), await d.remoteOf(2)].sort())

      for (let i = 0; i < 2; i++) {
        const summary = await sync(d.connection)
        for (const o of Object.values(summary.objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
        const rows = await sql`select contact_id from deal_contacts where deal_id = ${d.deal} order by contact_id`
        expect(rows.map((r) => r.contact_id)).toEqual([d.contacts[0], d.contacts[2]].sort())
      }
    })

    it("survives a rep's edit to another of the deal's fields before it is pushed", async () => {
      const d = await dealWithContacts(2)
      const dealRemote = await remoteIdOf(d.connection, d.deal)
      await sql`delete from deal_contacts where deal_id = ${d.deal} and contact_id = ${d.contacts[1]}`
      await control(sandbox, 'PATCH', `/rep/deals/${dealRemote}`, { properties: { amount: '777' } })

      await sync(d.connection)
      expect(await d.remote()).toEqual([await d.remoteOf(0)])
      const [deal] = await sql`select amount from deals where id = ${d.deal}`
      expect(Number(deal.amount)).toBe(777)
      const rows = await sql`select contact_id from deal_contacts where deal_id = ${d.deal}`
      expect(rows.map((r) => r.contact_id)).toEqual([d.contacts[0]])
    })

    it("when a rep changed the CRM's list too, each side's additions and removals stand, in the CRM and locally", async () => {
      const d = await dealWithContacts(4)
      await d.rep('PUT', 3)

      await sql`delete from deal_contacts where deal_id = ${d.deal} and contact_id = ${d.contacts[0]}`
      await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${d.tenant}, ${d.deal}, ${d.contacts[2]})`
      expect((await sync(d.connection)).objects.deals).toMatchObject({ failed: 0 })
      // The rep added 3; the app took 0 off and put 2 on. 1 was never touched.
      await expectBothHold(d, await d.remoteOfAll(1, 2, 3))
    })

    it("a contact a rep took off stays off while the app's addition goes on", async () => {
      const d = await dealWithContacts(3)
      await d.rep('DELETE', 1)
      await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${d.tenant}, ${d.deal}, ${d.contacts[2]})`

      expect((await sync(d.connection)).objects.deals).toMatchObject({ failed: 0 })
      await expectBothHold(d, await d.remoteOfAll(0, 2))
    })

    it("a rep's change the push meets before any pull sees it stands, and the next pull brings it in", async () => {
      const d = await dealWithContacts(4)
      await sql`delete from deal_contacts where deal_id = ${d.deal} and contact_id = ${d.contacts[0]}`
      await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${d.tenant}, ${d.deal}, ${d.contacts[2]})`
      await d.rep('PUT', 3)
      await d.rep('DELETE', 1)

      // A push with no pull before it: the rep's changes are in the CRM only.
      await updateSettings(sql, d.tenant, d.connection, (s) => ({ ...(s as object), direction: 'push' }))
      expect((await sync(d.connection)).objects.deals).toMatchObject({ pushed: 1, failed: 0 })
      const expected = await d.remoteOfAll(2, 3)
      expect(await d.remote()).toEqual(expected)

      await updateSettings(sql, d.tenant, d.connection, (s) => ({ ...(s as object), direction: 'bidirectional' }))
      await sync(d.connection)
      expect(await localContacts(d)).toEqual(expected)
      expect(await d.remote()).toEqual(expected)
    })

    async function localContacts(d: { connection: string; deal: string }): Promise<string[]> {
      const rows = await sql`select l.remote_id from deal_contacts dc join crm_links l on l.local_id = dc.contact_id and l.connection_id = ${d.connection}
                              where dc.deal_id = ${d.deal}`
      return rows.map((r) => r.remote_id as string).sort()
    }
  })

  it('a local delete archives the record in the CRM', async () => {
    const { tenant, connection } = await setup()
    const localId = await insertContact(tenant)
    await sync(connection, ['contact'])
    const remoteId = await remoteIdOf(connection, localId)
    await sql`delete from contacts where id = ${localId}`
    const summary = await sync(connection, ['contact'])
    expect(summary.objects.contacts).toMatchObject({ pushed: 1 })
    const archived = await control<{ results: SandboxRecord[] }>(sandbox, 'GET', '/records/contacts?archived=true&limit=100000')
    expect(archived.results.map((r) => r.id)).toContain(remoteId)
  })
})

describe('direction', () => {
  it('a pull-only connection pushes nothing', async () => {
    const { tenant, connection } = await setup({ direction: 'pull' })
    const email = uniqueEmail()
    await insertContact(tenant, { email })
    const summary = await sync(connection, ['contact'])
    expect(summary.objects.contacts).toMatchObject({ pushed: 0 })
    expect((await remoteAll('contacts')).some((r) => r.properties.email === email)).toBe(false)
  })

  it('a push-only connection pushes and pulls nothing', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'push' })
    const email = uniqueEmail()
    await insertContact(tenant, { email })
    const summary = await sync(connection)
    expect(summary.objects.contacts).toMatchObject({ fetched: 0, pushed: 1 })
    const [n] = await sql`select count(*)::int as n from contacts where tenant_id = ${tenant}`
    expect(n.n).toBe(1)
    expect((await remoteAll('contacts')).some((r) => r.properties.email === email)).toBe(true)
  })
})

describe('conflicts: the same pair under each strategy', () => {
  // The app edits a company's city and notes; then a rep edits both in the CRM (so the CRM's change is newer).
  async function conflictingPair(settings: ConnectionSettingsInput) {
    const { tenant, connection } = await setup(settings)
    const created = await control<SandboxRecord>(sandbox, 'POST', '/rep/companies', { properties: { name: `Pair ${randomUUID().slice(0, 6)}`, city: 'Base city', description: 'base notes' } })
    await sync(connection, ['company'])
    const remoteId = created.id
    const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId} and object_type = 'company'`
    const localId = link.local_id as string
    await sql`update companies set city = 'App city', description = 'app notes' where id = ${localId}`
    await new Promise((r) => setTimeout(r, 5)) // the rep's edit is strictly later
    await control(sandbox, 'PATCH', `/rep/companies/${remoteId}`, { properties: { city: 'CRM city', description: 'crm notes' } })
    const summary = await sync(connection, ['company'])
    return { tenant, connection, localId, remoteId, summary, local: await localPair(localId), remote: await remotePair(remoteId) }
  }
  const localPair = async (id: string) => (await sql`select city, description from companies where id = ${id}`)[0]
  const remotePair = async (id: string) => {
    const p = (await remoteRecord('companies', id)).properties
    return { city: p.city, description: p.description }
  }

  it("timestamp_based: the newer change (the rep's) wins on both sides", async () => {
    const r = await conflictingPair({ conflicts: { strategy: 'timestamp_based' } })
    expect(r.local).toEqual({ city: 'CRM city', description: 'crm notes' })
    expect(r.remote).toEqual(r.local)
    expect(r.summary.objects.companies).toMatchObject({ pushed: 0 })
  })

  it('source_priority app > crm: the app wins on both sides', async () => {
    const r = await conflictingPair({ conflicts: { strategy: 'source_priority', sourcePriority: ['app', 'crm'] } })
    expect(r.local).toEqual({ city: 'App city', description: 'app notes' })
    expect(r.remote).toEqual(r.local)
    expect(r.summary.objects.companies).toMatchObject({ pushed: 1 })
  })

  it('field_merge: notes are appended, text goes to the newer change, on both sides', async () => {
    const r = await conflictingPair({ conflicts: { strategy: 'field_merge' } })
    expect(r.local).toEqual({ city: 'CRM city', description: 'app notes\n\ncrm notes' })
    expect(r.remote).toEqual(r.local)
  })

  it('manual_review: both sides untouched until decided, then the decision converges both', async () => {
    const r = await conflictingPair({ conflicts: { strategy: 'manual_review' } })
    expect(r.local).toEqual({ city: 'App city', description: 'app notes' })
    expect(r.remote).toEqual({ city: 'CRM city', description: 'crm notes' })
    expect(r.summary.objects.companies).toMatchObject({ conflicts: 1, pushed: 0 })
    const [conflict] = await sql`select id, fields, status from sync_conflicts where connection_id = ${r.connection} and local_id = ${r.localId}`
    expect(conflict).toMatchObject({ status: 'open' })
    expect([...conflict.fields].sort()).toEqual(['city', 'description'])

    // Another sync changes nothing while the conflict waits.
    const waiting = await sync(r.connection, ['company'])
    expect(waiting.objects.companies).toMatchObject({ pushed: 0, updated: 0 })
    expect(await remotePair(r.remoteId)).toEqual({ city: 'CRM city', description: 'crm notes' })
    expect(await localPair(r.localId)).toEqual({ city: 'App city', description: 'app notes' })

    const outcome = await decideConflict(sql, r.tenant, Number(conflict.id), { city: 'local', description: 'remote' })
    expect(outcome.status).toBe('resolved')
    const decided = await sync(r.connection, ['company'])
    expect(decided.objects.companies).toMatchObject({ pushed: 1, failed: 0 })
    expect(await localPair(r.localId)).toEqual({ city: 'App city', description: 'crm notes' })
    expect(await remotePair(r.remoteId)).toEqual({ city: 'App city', description: 'crm notes' })
    const [closed] = await sql`select status from sync_conflicts where id = ${conflict.id}`
    expect(closed.status).toBe('resolved')

    const quiet = await sync(r.connection, ['company'])
    expect(quiet.objects.companies).toMatchObject({ updated: 0, pushed: 0, conflicts: 0 })
  })

  it('manual_review: the app edits a field again while it waits; the queue shows the newer value, and deciding for the app sends it', async () => {
    const r = await conflictingPair({ conflicts: { strategy: 'manual_review' } })
    await sql`update companies set city = 'App city, again' where id = ${r.localId}`
    expect((await sync(r.connection, ['company'])).objects.companies).toMatchObject({ pushed: 0, failed: 0 })
    expect(await remotePair(r.remoteId)).toEqual({ city: 'CRM city', description: 'crm notes' })
    const [conflict] = await sql`select id, local_snapshot from sync_conflicts where connection_id = ${r.connection} and local_id = ${r.localId} and status = 'open'`
    expect(conflict.local_snapshot).toMatchObject({ city: 'App city, again', description: 'app notes' })
    expect((await decideConflict(sql, r.tenant, Number(conflict.id), { city: 'local', description: 'remote' })).status).toBe('resolved')
    expect((await sync(r.connection, ['company'])).objects.companies).toMatchObject({ pushed: 1, failed: 0 })
    expect(await remotePair(r.remoteId)).toEqual({ city: 'App city, again', description: 'crm notes' })
    expect(await localPair(r.localId)).toEqual({ city: 'App city, again', description: 'crm notes' })
  })
})

describe('failures and crashes', () => {
  it('a push batch with one invalid record lands the other 99 and keeps the bad one queued with its error', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'push' })
    const rows = Array.from({ length: 100 }, (_, i) => ({
      tenant_id: tenant, email: uniqueEmail(), first_name: `Batch ${i}`, lifecycle_stage: i === 42 ? 'not_a_stage' : 'lead',
    }))
    const inserted = await sql`insert into contacts ${sql(rows)} returning id, lifecycle_stage`
    const bad = inserted.find((r) => r.lifecycle_stage === 'not_a_stage')!.id
    const summary = await sync(connection, ['contact'])
    expect(summary.objects.contacts).toMatchObject({ pushed: 99, failed: 1 })
    const remote = await remoteAll('contacts')
    const ours = new Set(inserted.map((r) => r.id as string))
    expect(remote.filter((r) => ours.has(r.properties.syncline_id ?? ''))).toHaveLength(99)
    const failed = await listFailedEntries(sql, tenant)
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ local_id: bad, attempts: 1 })
    expect(failed[0].last_error).toMatch(/not_a_stage|lifecyclestage/i)
    // The dashboard names it, with HubSpot's reason.
    const [problem] = await syncProblems(sql, tenant, connection)
    expect(problem).toMatchObject({ objectType: 'contact', direction: 'push', record: rows[42].email, attempts: 1 })
    expect(problem.message).toMatch(/not_a_stage|lifecyclestage/i)

    // Not changed, it waits out its retry delay: the next sync does not try it again.
    expect((await sync(connection, ['contact'])).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    // Fixed locally, it goes through on the next sync, without waiting for that delay.
    await sql`update contacts set lifecycle_stage = 'lead' where id = ${bad}`
    const retry = await sync(connection, ['contact'])
    expect(retry.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect(await listFailedEntries(sql, tenant)).toHaveLength(0)
  })

  it('a crash after the CRM acknowledged a create but before our commit does not duplicate it in the CRM', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'bidirectional' })
    await sync(connection)
    const [company] = await sql`insert into companies ${sql({ tenant_id: tenant, name: `Crashco ${randomUUID().slice(0, 6)}` })} returning id`
    const contactId = await insertContact(tenant)
    // The commit that records the links fails (while the flag row exists), after the CRM
    // answered: as if the process died between the two. A raise rolls back the
    // trigger's own writes, so the test clears the flag itself.
    await sql.unsafe(`
      create table if not exists test_crash_once (connection_id uuid primary key);
      create or replace function test_crash_links() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from test_crash_once where connection_id = new.connection_id) then
          raise exception 'simulated crash before the outbox commit';
        end if;
        return new;
      end $$;
      create or replace trigger test_crash_links before insert on crm_links for each row execute function test_crash_links();`)
    try {
      for (const type of ['company', 'contact'] as const) {
        await sql`insert into test_crash_once values (${connection})`
        const crashed = await sync(connection, [type])
        await sql`delete from test_crash_once where connection_id = ${connection}`
        expect(Object.values(crashed.objects)[0]?.error).toMatch(/simulated crash/)
      }
    } finally {
      await sql.unsafe('drop trigger if exists test_crash_links on crm_links')
    }
    const [pending] = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`
    expect(pending.n).toBe(2) // nothing acknowledged
    await sync(connection)
    await sync(connection)
    const companies = (await remoteAll('companies')).filter((r) => r.properties.syncline_id === company.id)
    const contacts = (await remoteAll('contacts')).filter((r) => r.properties.syncline_id === contactId)
    expect(companies).toHaveLength(1)
    expect(contacts).toHaveLength(1)
    const [locals] = await sql`select (select count(*)::int from companies where tenant_id = ${tenant} and name like 'Crashco%') as companies`
    expect(locals.companies).toBe(1)
    expect(await remoteIdOf(connection, contactId)).toBe(contacts[0].id)
  })
})
