import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import type { ConnectionSettingsInput } from '../../lib/crm/settings'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// The host app drops a mapped column and adds it again (or renames it away and adds a new
// one under its name): every row now holds NULL there, while HubSpot and the links still
// hold the values last synced. That emptiness is not the app's edit: it is never sent to
// HubSpot, and the next sync fills the column again from HubSpot. The tests alter the run's
// own test database (see schema-changed.test.ts); the phone column keeps its check and index.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 1, companies: 0, deals: 0, owners: 1, seed: 43 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const remote = async (id: string) => (await control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${id}`)).properties
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual', objects: ['contact'] })
const outbox = async (connection: string) => (await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n as number
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })
const phoneOf = async (localId: string) => (await sql`select phone from contacts where id = ${localId}`)[0].phone as string | null

const PHONES = ['+14155550123', '+14155550124']

/** A connection whose first sync pulled `n` new contacts, each with a phone. */
async function pulledContacts(n = 1, settings: ConnectionSettingsInput = {}) {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, settings)
  const remoteIds: string[] = []
  for (let i = 0; i < n; i++) {
    const created = await control<SandboxRecord>(sandbox, 'POST', '/rep/contacts', {
      properties: { email: `re-${randomUUID().slice(0, 8)}@example.com`, firstname: 'Pat', phone: PHONES[i] },
    })
    remoteIds.push(created.id)
  }
  expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success' })
  const links = await sql`select local_id, remote_id from crm_links where connection_id = ${connection} and remote_id = any(${remoteIds}::text[])`
  const localOf = new Map(links.map((l) => [l.remote_id as string, l.local_id as string]))
  const contacts = remoteIds.map((remoteId, i) => ({ remoteId, localId: localOf.get(remoteId)!, phone: PHONES[i] }))
  for (const c of contacts) expect(await phoneOf(c.localId)).toBe(c.phone)
  return { tenant, connection, contacts }
}

/** What a host app's migration might do: the column dropped, then added back, empty. */
async function recreatePhone() {
  await sql`alter table contacts drop column phone`
  await sql`alter table contacts add column phone text`
}

afterAll(async () => {
  // The column as the migrations made it, for the files after this one.
  await sql`alter table contacts drop constraint if exists contacts_phone_check`
  await sql`alter table contacts add constraint contacts_phone_check check (phone is null or phone ~ '^\\+[1-9][0-9]{6,14}$')`
  await sql`create index if not exists contacts_phone_idx on contacts (tenant_id, phone)`
})

describe('a mapped column dropped and added again, empty', () => {
  it("a rep's edit of another field does not send the empty phone to HubSpot, and the pull fills it again", async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await recreatePhone()
    await control(sandbox, 'PATCH', `/rep/contacts/${c.remoteId}`, { properties: { firstname: 'Patricia' } })
    const run = await sync(connection)
    expect(run.objects.contacts).toMatchObject({ status: 'success', failed: 0, conflicts: 0 })
    expect(await remote(c.remoteId)).toMatchObject({ phone: c.phone, firstname: 'Patricia' })
    expect(await phoneOf(c.localId)).toBe(c.phone)
    // Settled: the next sync has nothing to do.
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, updated: 0, conflicts: 0 })
    expect(await remote(c.remoteId)).toMatchObject({ phone: c.phone })
  })

  it('a sync while the column is gone fails as a schema change; once added again, empty, the next fills it', async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await sql`alter table contacts drop column phone`
    await control(sandbox, 'PATCH', `/rep/contacts/${c.remoteId}`, { properties: { firstname: 'Patricia' } })
    const failed = await sync(connection)
    expect(failed.objects.contacts).toMatchObject({ status: 'failed', apiCalls: 0 })
    expect(failed.objects.contacts?.error).toMatch(/^\[schema\] .*column contacts\.phone does not exist/)
    await sql`alter table contacts add column phone text`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', failed: 0, conflicts: 0 })
    expect(await remote(c.remoteId)).toMatchObject({ phone: c.phone, firstname: 'Patricia' })
    expect(await phoneOf(c.localId)).toBe(c.phone)
  })

  it('with nothing changed in HubSpot, the next sync fills every linked row again', async () => {
    const { connection, contacts } = await pulledContacts(2)
    await recreatePhone()
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', pushed: 0, conflicts: 0 })
    for (const c of contacts) {
      expect(await phoneOf(c.localId)).toBe(c.phone)
      expect((await remote(c.remoteId)).phone).toBe(c.phone)
    }
  })

  it("an app edit of another field sends that field alone, and the phone comes back from HubSpot", async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await recreatePhone()
    await sql`update contacts set first_name = 'Sam' where id = ${c.localId}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', pushed: 1, failed: 0 })
    expect(await remote(c.remoteId)).toMatchObject({ phone: c.phone, firstname: 'Sam' })
    expect(await phoneOf(c.localId)).toBe(c.phone)
  })

  it('an edit queued under a renamed column, that column dropped, a new empty one under the old name: HubSpot keeps its phone', async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await sql`alter table contacts rename column phone to mobile`
    // Queued under a name the sync will not know: compared on every mapped field later.
    await sql`update contacts set mobile = '+14155550777' where id = ${c.localId}`
    await sql`alter table contacts drop column mobile`
    await sql`alter table contacts add column phone text`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', failed: 0 })
    expect((await remote(c.remoteId)).phone).toBe(c.phone)
    expect(await phoneOf(c.localId)).toBe(c.phone)
  })

  it('a phone the app writes once the column is back goes to HubSpot', async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await recreatePhone()
    await sql`update contacts set phone = '+14155550199' where id = ${c.localId}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', failed: 0, conflicts: 0 })
    expect((await remote(c.remoteId)).phone).toBe('+14155550199')
    expect(await phoneOf(c.localId)).toBe('+14155550199')
  })

  it('under manual review and the app owning the phone: no conflict, nothing cleared, the rep\'s new phone shown', async () => {
    const { connection, contacts: [c] } = await pulledContacts(1, { conflicts: { strategy: 'manual_review', fieldOwnership: { 'contact.phone': 'app' } } })
    await recreatePhone()
    await control(sandbox, 'PATCH', `/rep/contacts/${c.remoteId}`, { properties: { firstname: 'Patricia', phone: '+14155550188' } })
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', conflicts: 0, pushed: 0 })
    expect((await sql`select count(*)::int as n from sync_conflicts where connection_id = ${connection}`)[0].n).toBe(0)
    expect((await remote(c.remoteId)).phone).toBe('+14155550188')
    expect(await phoneOf(c.localId)).toBe('+14155550188')
  })

  it('a record held in a conflict over another field still gets its phone back, and keeps it', async () => {
    const { connection, contacts: [c] } = await pulledContacts(1, { conflicts: { strategy: 'manual_review' } })
    await recreatePhone()
    await sql`update contacts set first_name = 'Sam' where id = ${c.localId}`
    await control(sandbox, 'PATCH', `/rep/contacts/${c.remoteId}`, { properties: { firstname: 'Patricia' } })
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', conflicts: 1, failed: 0 })
    expect(await phoneOf(c.localId)).toBe(c.phone)
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', failed: 0 })
    expect(await remote(c.remoteId)).toMatchObject({ phone: c.phone, firstname: 'Patricia' })
    expect(await phoneOf(c.localId)).toBe(c.phone)
  })

  it('app → HubSpot only: the empty column is never sent, a phone the app writes is', async () => {
    const { connection, contacts: [a, b] } = await pulledContacts(2)
    await sql`update crm_connections set settings = jsonb_set(settings, '{direction}', '"push"') where id = ${connection}`
    // Queued under a name gone by the time of the push: compared on every mapped field.
    await sql`alter table contacts rename column phone to mobile`
    await sql`update contacts set mobile = '+14155550777' where id = ${a.localId}`
    await sql`alter table contacts drop column mobile`
    await sql`alter table contacts add column phone text`
    await sql`update contacts set phone = '+14155550166' where id = ${b.localId}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', failed: 0, pushed: 1 })
    expect((await remote(a.remoteId)).phone).toBe(a.phone)
    expect((await remote(b.remoteId)).phone).toBe('+14155550166')
    expect(await outbox(connection)).toBe(0)
  })

  it("a rep's edit that arrives by webhook fills the phone and queues nothing for HubSpot", async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await recreatePhone()
    await control(sandbox, 'PATCH', `/rep/contacts/${c.remoteId}`, { properties: { firstname: 'Patricia' } })
    forgetWebhookTargets()
    const res = await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([{
      eventId: 43_000, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
      subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(c.remoteId), changeSource: 'CRM_UI', propertyName: 'firstname',
    }])))
    expect(res.status).toBe(200)
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
    expect(await phoneOf(c.localId)).toBe(c.phone)
    expect(await outbox(connection)).toBe(0)
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', pushed: 0 })
    expect(await remote(c.remoteId)).toMatchObject({ phone: c.phone, firstname: 'Patricia' })
  })

  it('renamed away and back (its values kept): nothing to fill, the next sync reads only what changed', async () => {
    const { connection, contacts: [c] } = await pulledContacts()
    await sql`alter table contacts rename column phone to mobile`
    await sql`alter table contacts rename column mobile to phone`
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', fetched: 0, updated: 0, pushed: 0 })
    expect(await phoneOf(c.localId)).toBe(c.phone)
  })
})

// The company column (company_id on contacts and deals) holds HubSpot's association, not a
// property: re-created empty, it is refilled from HubSpot's associations, and its emptiness
// is never sent as the app taking the company off. Renamed away (and put back after each
// test) rather than dropped, so the original keeps its policies and foreign key.
describe('the company column dropped and added again, empty', () => {
  type Table = 'contacts' | 'deals'
  const objectOf = { contacts: 'contact', deals: 'deal' } as const
  const syncWith = (connection: string, table: Table) => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['owner', 'company', objectOf[table]] })
  const companyIdOf = async (table: Table, id: string) => (await sql.unsafe(`select company_id from ${table} where id = $1`, [id]))[0].company_id as string | null
  // The companies HubSpot associates the record with (one may be listed under two labels, primary and unlabelled).
  const companiesInHubSpot = async (table: Table, id: string) =>
    [...new Set(((await control<{ associations?: Record<string, { results: { id: string }[] }> }>(sandbox, 'GET', `/records/${table}/${id}`)).associations?.companies?.results ?? [])
      .map((r) => r.id))]
  const newCompany = () => control<SandboxRecord>(sandbox, 'POST', '/rep/companies', { properties: { name: `Acme ${randomUUID().slice(0, 8)}`, domain: `acme-${randomUUID().slice(0, 8)}.test` } })

  /** A connection whose first sync pulled a record of `table` associated in HubSpot with a company. */
  async function pulledWithCompany(table: Table, settings: ConnectionSettingsInput = {}) {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, settings)
    const company = await newCompany()
    const properties = table === 'contacts'
      ? { email: `co-${randomUUID().slice(0, 8)}@example.com`, firstname: 'Pat' }
      : { dealname: `Deal ${randomUUID().slice(0, 8)}`, dealstage: 'appointmentscheduled', pipeline: 'default' }
    const record = await control<SandboxRecord>(sandbox, 'POST', `/rep/${table}`, { properties })
    await control(sandbox, 'PUT', `/rep/associations/${table}/${record.id}/companies/${company.id}`)
    expect((await syncWith(connection, table)).objects[table]).toMatchObject({ status: 'success' })
    const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${record.id}`
    const [companyLink] = await sql`select local_id from crm_links where connection_id = ${connection} and object_type = 'company' and remote_id = ${company.id}`
    const localId = link.local_id as string
    expect(await companyIdOf(table, localId)).toBe(companyLink.local_id)
    return { connection, localId, remoteId: record.id, companyRemoteId: company.id, companyLocalId: companyLink.local_id as string }
  }

  async function withCompanyRecreated(table: Table, body: () => Promise<void>) {
    await sql.unsafe(`alter table ${table} rename column company_id to company_id_was`)
    await sql.unsafe(`alter table ${table} add column company_id uuid references public.companies (id) on delete set null`)
    try {
      await body()
    } finally {
      await sql.unsafe(`alter table ${table} drop column company_id`)
      await sql.unsafe(`alter table ${table} rename column company_id_was to company_id`)
    }
  }

  it.each(['contacts', 'deals'] as const)('%s: with nothing changed in HubSpot, the next sync fills it from the association', async (table) => {
    const r = await pulledWithCompany(table)
    await withCompanyRecreated(table, async () => {
      expect(await companyIdOf(table, r.localId)).toBeNull()
      expect((await syncWith(r.connection, table)).objects[table]).toMatchObject({ status: 'success', failed: 0, pushed: 0, conflicts: 0 })
      expect(await companyIdOf(table, r.localId)).toBe(r.companyLocalId)
      expect(await companiesInHubSpot(table, r.remoteId)).toEqual([r.companyRemoteId])
      // Settled: read once, then only what changes.
      expect((await syncWith(r.connection, table)).objects[table]).toMatchObject({ fetched: 0, updated: 0, pushed: 0 })
    })
  })

  it("a company change of the app's queued when the column went: HubSpot's company is not taken off, and comes back", async () => {
    const r = await pulledWithCompany('contacts')
    const other = await newCompany()
    await syncWith(r.connection, 'contacts')
    const [otherLink] = await sql`select local_id from crm_links where connection_id = ${r.connection} and remote_id = ${other.id}`
    await sql`update contacts set company_id = ${otherLink.local_id} where id = ${r.localId}`
    await withCompanyRecreated('contacts', async () => {
      const run = await syncWith(r.connection, 'contacts')
      expect(run.objects.contacts).toMatchObject({ status: 'success', failed: 0 })
      expect(await companiesInHubSpot('contacts', r.remoteId)).toEqual([r.companyRemoteId])
      expect(await companyIdOf('contacts', r.localId)).toBe(r.companyLocalId)
      expect(await outbox(r.connection)).toBe(0)
    })
  })

  it('app → HubSpot only: the empty column is never sent as the company taken off', async () => {
    const r = await pulledWithCompany('contacts')
    const other = await newCompany()
    await syncWith(r.connection, 'contacts')
    await sql`update crm_connections set settings = jsonb_set(settings, '{direction}', '"push"') where id = ${r.connection}`
    const [otherLink] = await sql`select local_id from crm_links where connection_id = ${r.connection} and remote_id = ${other.id}`
    // A change queued under company_id; the column then re-created: the app's value went with it.
    await sql`update contacts set company_id = ${otherLink.local_id} where id = ${r.localId}`
    await withCompanyRecreated('contacts', async () => {
      expect((await syncWith(r.connection, 'contacts')).objects.contacts).toMatchObject({ status: 'success', failed: 0, pushed: 0 })
      expect(await companiesInHubSpot('contacts', r.remoteId)).toEqual([r.companyRemoteId])
      expect(await outbox(r.connection)).toBe(0)
    })
  })

  it('a company the app sets once the column is back is the app\'s: sent to HubSpot, and kept', async () => {
    const r = await pulledWithCompany('contacts')
    const other = await newCompany()
    await syncWith(r.connection, 'contacts')
    const [otherLink] = await sql`select local_id from crm_links where connection_id = ${r.connection} and remote_id = ${other.id}`
    await withCompanyRecreated('contacts', async () => {
      await sql`update contacts set company_id = ${otherLink.local_id} where id = ${r.localId}`
      expect((await syncWith(r.connection, 'contacts')).objects.contacts).toMatchObject({ status: 'success', failed: 0, pushed: 1 })
      expect(await companyIdOf('contacts', r.localId)).toBe(otherLink.local_id)
      expect(await companiesInHubSpot('contacts', r.remoteId)).toEqual([other.id])
    })
  })
})
