import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { decodeFieldHashes } from '../../lib/store/links'
import type { ConnectionSettingsInput } from '../../lib/crm/settings'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { serveHandler, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// HubSpot now merges contacts and companies into a NEW record with a new id; both old ids
// resolve to it, and it lists both in hs_merged_object_ids.
// https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
// The engine follows that as it follows the keep-id merge (merges.test.ts,
// merge-keeps-app-edits.test.ts): one live local record, linked to the new id, the app's
// pending edits carried to it, what pointed at the other one moved to it.

const sql = testSql()
// Webhooks go to a loopback target that stores them (drained by the test, not in the background).
let hook: ReturnType<typeof webhookHandler>
const target = await serveHandler((req) => hook.POST(req))
hook = webhookHandler(sql, target.url, { process: false })
const sandbox = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 97, config: { mergeNewId: true }, webhookUrl: target.url + WEBHOOK_PATH })

type Obj = 'owner' | 'company' | 'contact' | 'deal'
const uniq = () => randomUUID().slice(0, 8)
const newCompany = (props: Record<string, string> = {}) =>
  control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Co ${uniq()}`, domain: `co-${uniq()}.test`, ...props } })
const newContact = (props: Record<string, string> = {}) =>
  control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `n-${uniq()}@example.com`, ...props } })
const newDeal = () => control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
const associate = (from: string, fromId: string, to: string, toId: string) => control(sandbox, 'PUT', `/rep/associations/${from}/${fromId}/${to}/${toId}`)
/** The rep's merge; returns the new record's id. */
const merge = async (type: 'contacts' | 'companies', primary: string, other: string) => {
  const rec = await control<{ id: string }>(sandbox, 'POST', `/rep/${type}/merge`, { primaryObjectId: primary, objectIdToMerge: other })
  expect(rec.id).not.toBe(primary)
  return rec.id
}
const remote = async (type: string, id: string) => (await control<{ id: string; archived?: boolean; properties: Record<string, string | null> }>(sandbox, 'GET', `/records/${type}/${id}`))

async function setup(settings: ConnectionSettingsInput = {}) {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0, ...settings })
  // Deliveries go to the portal's connections as a cache saw them up to 5 s ago: this one is new.
  forgetWebhookTargets()
  const sync = (objects?: Obj[]) => runSync(sql, { connectionId: connection, trigger: 'manual', objects })
  const localOf = async (type: Obj, remoteId: string) =>
    (await sql`select local_id from crm_links where connection_id = ${connection} and object_type = ${type} and remote_id = ${remoteId}`)[0]?.local_id as string | undefined
  const entryOf = async (type: Obj, remoteId: string, key: string) =>
    decodeFieldHashes((await sql`select field_hashes from crm_links where connection_id = ${connection} and object_type = ${type} and remote_id = ${remoteId}`)[0].field_hashes)[key]
  const liveContacts = async () => (await sql`select id from contacts where tenant_id = ${tenant} and archived_at is null order by id`).map((r) => r.id as string)
  const quiet = async (objects?: Obj[]) => {
    const again = await sync(objects)
    for (const o of Object.values(again.objects)) expect(o).toMatchObject({ created: 0, updated: 0, archived: 0, pushed: 0, failed: 0 })
  }
  /** What HubSpot delivered since the last drain, applied as the webhook path does (no pull). */
  const drain = async () => {
    await control(sandbox, 'POST', '/webhooks/flush', { timeoutMs: 10_000 })
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ failedEvents: 0 })
  }
  return { tenant, connection, sync, localOf, entryOf, liveContacts, quiet, drain }
}

const contactRow = async (id: string) => (await sql`select job_title, last_name, company_id, archived_at from contacts where id = ${id}`)[0]
const dealContacts = async (dealLocal: string) => (await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`).map((r) => r.contact_id)

describe('contacts merged into a new record (a Refresh sees it)', () => {
  it('both in the app: one live local contact, linked to the new id; the other archived; the deal and company follow', async () => {
    const s = await setup()
    const [company, a, b, deal] = [await newCompany(), await newContact({ lastname: 'Primary' }), await newContact({ jobtitle: 'CTO' }), await newDeal()]
    await associate('contacts', a.id, 'companies', company.id)
    await associate('deals', deal.id, 'contacts', b.id)
    await s.sync()
    const [aLocal, bLocal, dealLocal, companyLocal] = [(await s.localOf('contact', a.id))!, (await s.localOf('contact', b.id))!, (await s.localOf('deal', deal.id))!, await s.localOf('company', company.id)]
    const before = await s.liveContacts()

    const merged = await merge('contacts', a.id, b.id)
    const run = await s.sync()
    expect(run.objects.contacts).toMatchObject({ created: 0, archived: 1, failed: 0 })
    expect(await s.localOf('contact', merged)).toBe(aLocal)
    expect(await s.localOf('contact', a.id)).toBeUndefined()
    expect(await s.localOf('contact', b.id)).toBeUndefined()
    expect(await contactRow(aLocal)).toMatchObject({ last_name: 'Primary', job_title: 'CTO', company_id: companyLocal, archived_at: null })
    expect((await contactRow(bLocal)).archived_at).not.toBeNull()
    expect(await s.liveContacts()).toEqual(before.filter((id) => id !== bLocal))
    expect(await dealContacts(dealLocal)).toEqual([aLocal])
    expect(await s.entryOf('deal', deal.id, '@contacts')).toBe(`=${merged}`)
    await s.quiet()
  })

  it('an app edit pending on the merged-in (secondary) record lands on the survivor, in the app and on the new record in HubSpot', async () => {
    const s = await setup()
    const [a, b] = [await newContact({ lastname: 'Kept' }), await newContact({ jobtitle: 'Old title' })]
    await s.sync(['contact'])
    const [aLocal, bLocal] = [(await s.localOf('contact', a.id))!, (await s.localOf('contact', b.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${bLocal}`

    const merged = await merge('contacts', a.id, b.id) // the new record takes 'Old title' (the primary has none)
    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, archived: 1, pushed: 1, failed: 0 })
    expect(await contactRow(aLocal)).toMatchObject({ job_title: 'App title', last_name: 'Kept', archived_at: null })
    expect((await contactRow(bLocal)).archived_at).not.toBeNull()
    expect((await remote('contacts', merged)).properties).toMatchObject({ jobtitle: 'App title', lastname: 'Kept' })
    await s.quiet(['contact'])
  })

  it('an app edit pending on the primary record goes to the new record', async () => {
    const s = await setup()
    const [a, b] = [await newContact({ jobtitle: 'Primary title' }), await newContact({ lastname: 'Other' })]
    await s.sync(['contact'])
    const [aLocal, bLocal] = [(await s.localOf('contact', a.id))!, (await s.localOf('contact', b.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${aLocal}`

    const merged = await merge('contacts', a.id, b.id)
    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, archived: 1, pushed: 1, failed: 0 })
    expect(await contactRow(aLocal)).toMatchObject({ job_title: 'App title', last_name: 'Other', archived_at: null })
    expect((await contactRow(bLocal)).archived_at).not.toBeNull()
    expect((await remote('contacts', merged)).properties).toMatchObject({ jobtitle: 'App title', lastname: 'Other' })
    await s.quiet(['contact'])
  })

  it('the app edited the primary after the merge, before the sync saw it: the edit still reaches the new record', async () => {
    const s = await setup()
    const [a, b] = [await newContact(), await newContact()]
    await s.sync(['contact'])
    const aLocal = (await s.localOf('contact', a.id))!
    const merged = await merge('contacts', a.id, b.id)
    await sql`update contacts set job_title = 'After merge' where id = ${aLocal}`

    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, archived: 1, pushed: 1, failed: 0 })
    expect(await s.localOf('contact', merged)).toBe(aLocal)
    expect((await remote('contacts', merged)).properties.jobtitle).toBe('After merge')
    await s.quiet(['contact'])
  })

  it('a manual lead linked to the secondary is never archived, and HubSpot gets no new contact', async () => {
    const s = await setup()
    const email = `walk-in-${uniq()}@example.com`
    const [lead] = await sql`insert into contacts ${sql({ tenant_id: s.tenant, email, first_name: 'Walk', source: 'manual' })} returning id`
    const [a, b] = [await newContact(), await newContact({ email })]
    await s.sync(['contact'])
    expect(await s.localOf('contact', b.id)).toBe(lead.id)
    const aLocal = (await s.localOf('contact', a.id))!
    const merged = await merge('contacts', a.id, b.id)
    const inHubSpot = async () => (await control<{ total: number }>(sandbox, 'GET', '/records/contacts?limit=1')).total
    const before = await inHubSpot()

    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, pushed: 0, failed: 0 })
    expect(await s.localOf('contact', merged)).toBe(aLocal)
    expect((await contactRow(lead.id)).archived_at).toBeNull()
    expect(await inHubSpot()).toBe(before)
    await s.quiet(['contact'])
  })

  it('a manual lead linked to the primary stays linked, to the new id; the other is archived', async () => {
    const s = await setup()
    const email = `walk-in-${uniq()}@example.com`
    const [lead] = await sql`insert into contacts ${sql({ tenant_id: s.tenant, email, first_name: 'Walk', source: 'manual' })} returning id`
    const [a, b] = [await newContact({ email }), await newContact()]
    await s.sync(['contact'])
    const bLocal = (await s.localOf('contact', b.id))!
    const merged = await merge('contacts', a.id, b.id)

    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, archived: 1, failed: 0 })
    expect(await s.localOf('contact', merged)).toBe(lead.id)
    expect((await contactRow(lead.id)).archived_at).toBeNull()
    expect((await contactRow(bLocal)).archived_at).not.toBeNull()
    await s.quiet(['contact'])
  })
})

describe('contacts merged into a new record that the app deleted a copy of', () => {
  it('the app deleted the secondary: the delete is not sent (it would archive the new record), the primary follows the new id', async () => {
    const s = await setup()
    const [a, b] = [await newContact({ lastname: 'Stays' }), await newContact()]
    await s.sync(['contact'])
    const [aLocal, bLocal] = [(await s.localOf('contact', a.id))!, (await s.localOf('contact', b.id))!]
    await sql`delete from contacts where id = ${bLocal}`
    const merged = await merge('contacts', a.id, b.id)

    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, pushed: 0, failed: 0 })
    expect(await s.localOf('contact', merged)).toBe(aLocal)
    expect((await remote('contacts', merged)).properties.lastname).toBe('Stays')
    expect(await sql`select 1 from crm_outbox where connection_id = ${s.connection}`).toHaveLength(0)
    await s.quiet(['contact'])
  })

  it('the app deleted the primary: the delete is not sent, and the secondary follows the new id', async () => {
    const s = await setup()
    const [a, b] = [await newContact(), await newContact({ lastname: 'Other' })]
    await s.sync(['contact'])
    const [aLocal, bLocal] = [(await s.localOf('contact', a.id))!, (await s.localOf('contact', b.id))!]
    await sql`delete from contacts where id = ${aLocal}`
    const merged = await merge('contacts', a.id, b.id)

    expect((await s.sync(['contact'])).objects.contacts).toMatchObject({ created: 0, pushed: 0, failed: 0 })
    expect(await s.localOf('contact', merged)).toBe(bLocal)
    expect((await contactRow(bLocal)).archived_at).toBeNull()
    expect((await remote('contacts', merged)).archived ?? false).toBe(false)
    await s.quiet(['contact'])
  })
})

describe('companies merged into a new record', () => {
  it("one live local company, linked to the new id; both companies' contacts and deals point at it; an app edit of the secondary lands on it", async () => {
    const s = await setup()
    const [a, b, x, y, deal] = [await newCompany({ city: 'Lisbon' }), await newCompany({ city: 'Porto', industry: 'RETAIL' }), await newContact(), await newContact(), await newDeal()]
    await associate('contacts', x.id, 'companies', a.id)
    await associate('contacts', y.id, 'companies', b.id)
    await associate('deals', deal.id, 'companies', b.id)
    await s.sync()
    const [aLocal, bLocal] = [(await s.localOf('company', a.id))!, (await s.localOf('company', b.id))!]
    const [xLocal, yLocal, dealLocal] = [(await s.localOf('contact', x.id))!, (await s.localOf('contact', y.id))!, (await s.localOf('deal', deal.id))!]
    await sql`update companies set city = 'Braga' where id = ${bLocal}`

    const merged = await merge('companies', a.id, b.id)
    const run = await s.sync()
    expect(run.objects.companies).toMatchObject({ created: 0, archived: 1, pushed: 1, failed: 0 })
    expect(await s.localOf('company', merged)).toBe(aLocal)
    expect((await sql`select city, archived_at from companies where id = ${aLocal}`)[0]).toMatchObject({ city: 'Braga', archived_at: null })
    expect((await sql`select archived_at from companies where id = ${bLocal}`)[0].archived_at).not.toBeNull()
    expect((await contactRow(xLocal)).company_id).toBe(aLocal)
    expect((await contactRow(yLocal)).company_id).toBe(aLocal)
    expect((await sql`select company_id from deals where id = ${dealLocal}`)[0].company_id).toBe(aLocal)
    for (const c of [x.id, y.id]) expect(await s.entryOf('contact', c, '@company')).toBe(`#${merged}`)
    expect(await s.entryOf('deal', deal.id, '@company')).toBe(`#${merged}`)
    expect((await remote('companies', merged)).properties.city).toBe('Braga')
    await s.quiet()
  })
})

describe('merges into a new record, followed by the webhook alone (no Refresh)', () => {
  it('contacts: the merge event leaves one live local contact on the new id, the deal listing it, the pending edit carried', async () => {
    const s = await setup()
    const [a, b, deal] = [await newContact({ lastname: 'Hooked' }), await newContact({ jobtitle: 'Old title' }), await newDeal()]
    await associate('deals', deal.id, 'contacts', b.id)
    await s.sync()
    await s.drain() // what the setup's own writes sent
    const [aLocal, bLocal, dealLocal] = [(await s.localOf('contact', a.id))!, (await s.localOf('contact', b.id))!, (await s.localOf('deal', deal.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${bLocal}`

    const merged = await merge('contacts', a.id, b.id)
    await s.drain()
    const [event] = await sql`select payload from webhook_events where connection_id = ${s.connection} and subscription_type = 'contact.merge'`
    expect(event.payload).toMatchObject({ primaryObjectId: Number(a.id), mergedObjectIds: [Number(b.id)], newObjectId: Number(merged) })
    expect(await s.localOf('contact', merged)).toBe(aLocal)
    expect(await s.localOf('contact', b.id)).toBeUndefined()
    expect(await contactRow(aLocal)).toMatchObject({ job_title: 'App title', last_name: 'Hooked', archived_at: null })
    expect((await contactRow(bLocal)).archived_at).not.toBeNull()
    expect(await dealContacts(dealLocal)).toEqual([aLocal])
    expect(await s.entryOf('deal', deal.id, '@contacts')).toBe(`=${merged}`)
    // The next sync sends the carried edit to the new record, and creates nothing.
    expect((await s.sync()).objects.contacts).toMatchObject({ created: 0, pushed: 1, failed: 0 })
    expect((await remote('contacts', merged)).properties.jobtitle).toBe('App title')
    await s.quiet()
  })

  it('companies: the merge event leaves one live local company on the new id, with both companies\' contacts', async () => {
    const s = await setup()
    const [a, b, x, y] = [await newCompany(), await newCompany(), await newContact(), await newContact()]
    await associate('contacts', x.id, 'companies', a.id)
    await associate('contacts', y.id, 'companies', b.id)
    await s.sync()
    await s.drain()
    const [aLocal, bLocal] = [(await s.localOf('company', a.id))!, (await s.localOf('company', b.id))!]
    const yLocal = (await s.localOf('contact', y.id))!

    const merged = await merge('companies', a.id, b.id)
    await s.drain()
    expect(await s.localOf('company', merged)).toBe(aLocal)
    expect((await sql`select archived_at from companies where id = ${bLocal}`)[0].archived_at).not.toBeNull()
    expect((await contactRow(yLocal)).company_id).toBe(aLocal)
    expect(await s.entryOf('contact', y.id, '@company')).toBe(`#${merged}`)
    expect((await s.sync()).objects.companies).toMatchObject({ created: 0, archived: 0, failed: 0 })
    await s.quiet()
  })
})
