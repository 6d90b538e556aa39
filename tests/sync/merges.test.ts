import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { decodeFieldHashes } from '../../lib/store/links'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// A merge in HubSpot moves the merged-away record's associations to the survivor. What the
// app pointed at the merged-away record with follows: contacts' and deals' company, deals'
// contacts, the links' memory of those ids, and references still waiting for it.

const sql = testSql()
// Keep-id merges (the primary keeps its id: HubSpot's way before its merge change, and still for deals); merges-new-id.test.ts covers the new-id one.
const sandbox = await testSandbox({ contacts: 2, companies: 1, deals: 0, owners: 1, seed: 83, config: { mergeNewId: false } })

type Obj = 'owner' | 'company' | 'contact' | 'deal'
const sync = (connectionId: string, objects?: Obj[]) => runSync(sql, { connectionId, trigger: 'manual', objects })
const uniq = () => randomUUID().slice(0, 8)
const newCompany = () => control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Co ${uniq()}`, domain: `co-${uniq()}.test` } })
const newContact = () => control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `c-${uniq()}@example.com` } })
const newDeal = () => control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
const associate = (from: string, fromId: string, to: string, toId: string) => control(sandbox, 'PUT', `/rep/associations/${from}/${fromId}/${to}/${toId}`)
const merge = (type: string, survivor: string, gone: string) =>
  control(sandbox, 'POST', `/rep/${type}/merge`, { primaryObjectId: survivor, objectIdToMerge: gone })

async function setup() {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0 })
  const localOf = async (type: Obj, remoteId: string) =>
    (await sql`select local_id from crm_links where connection_id = ${connection} and object_type = ${type} and remote_id = ${remoteId}`)[0]?.local_id as string | undefined
  const entryOf = async (type: Obj, remoteId: string, key: string) =>
    decodeFieldHashes((await sql`select field_hashes from crm_links where connection_id = ${connection} and object_type = ${type} and remote_id = ${remoteId}`)[0].field_hashes)[key]
  const expectQuiet = async () => {
    const again = await sync(connection)
    for (const o of Object.values(again.objects)) expect(o).toMatchObject({ created: 0, updated: 0, archived: 0, pushed: 0, failed: 0 })
  }
  return { tenant, connection, localOf, entryOf, expectQuiet }
}

const companyIdOf = async (table: 'contacts' | 'deals', id: string) =>
  (await sql.unsafe(`select company_id from ${table} where id = $1`, [id]))[0].company_id as string | null

describe('merges in the CRM', () => {
  it('a company merged into one the app has: its contacts and deals take the survivor, and the duplicate is archived', async () => {
    const s = await setup()
    const [survivor, gone, contact, deal] = [await newCompany(), await newCompany(), await newContact(), await newDeal()]
    await associate('contacts', contact.id, 'companies', gone.id)
    await associate('deals', deal.id, 'companies', gone.id)
    await sync(s.connection)
    const [contactLocal, dealLocal, goneLocal] = [await s.localOf('contact', contact.id), await s.localOf('deal', deal.id), await s.localOf('company', gone.id)]
    expect(await companyIdOf('contacts', contactLocal!)).toBe(goneLocal)

    await merge('companies', survivor.id, gone.id)
    const after = await sync(s.connection)
    expect(after.objects.companies).toMatchObject({ archived: 1, failed: 0 })
    const survivorLocal = await s.localOf('company', survivor.id)
    expect(await companyIdOf('contacts', contactLocal!)).toBe(survivorLocal)
    expect(await companyIdOf('deals', dealLocal!)).toBe(survivorLocal)
    const [archived] = await sql`select archived_at from companies where id = ${goneLocal!}`
    expect(archived.archived_at).not.toBeNull()
    expect(await s.entryOf('contact', contact.id, '@company')).toBe(`#${survivor.id}`)
    expect(await s.entryOf('deal', deal.id, '@company')).toBe(`#${survivor.id}`)
    await s.expectQuiet()

    // The app takes the company off: the push names the company HubSpot now has.
    await sql`update contacts set company_id = null where id = ${contactLocal!}`
    expect((await sync(s.connection)).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const remote = await control<{ associations?: { companies?: { results: { id: string }[] } } }>(sandbox, 'GET', `/records/contacts/${contact.id}`)
    expect(remote.associations?.companies?.results ?? []).toEqual([])
  })

  it('a company merged into one the app has not seen: the same local company follows it, and its contacts remember the survivor', async () => {
    const s = await setup()
    const [gone, contact] = [await newCompany(), await newContact()]
    await associate('contacts', contact.id, 'companies', gone.id)
    await sync(s.connection)
    const goneLocal = await s.localOf('company', gone.id)
    const survivor = await newCompany()
    await merge('companies', survivor.id, gone.id)

    await sync(s.connection)
    expect(await s.localOf('company', survivor.id)).toBe(goneLocal)
    expect(await companyIdOf('contacts', (await s.localOf('contact', contact.id))!)).toBe(goneLocal)
    expect(await s.entryOf('contact', contact.id, '@company')).toBe(`#${survivor.id}`)
    await s.expectQuiet()
  })

  it('a contact waiting for a company that is then merged away gets the survivor when it arrives', async () => {
    const s = await setup()
    const contact = await newContact()
    await sync(s.connection)
    const gone = await newCompany()
    await associate('contacts', contact.id, 'companies', gone.id)
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.id}`, { properties: { jobtitle: 'Moved' } })
    await sync(s.connection, ['contact']) // the contact arrives before its company
    const contactLocal = (await s.localOf('contact', contact.id))!
    expect(await companyIdOf('contacts', contactLocal)).toBeNull()

    const survivor = await newCompany()
    await merge('companies', survivor.id, gone.id)
    await sync(s.connection)
    expect(await companyIdOf('contacts', contactLocal)).toBe(await s.localOf('company', survivor.id))
    expect(await sql`select 1 from crm_pending_refs where connection_id = ${s.connection}`).toHaveLength(0)
    await s.expectQuiet()
  })

  it('a manual lead linked to a merged-away contact stays the app\'s own, with its deals', async () => {
    const s = await setup()
    const email = `walk-in-${uniq()}@example.com`
    const [lead] = await sql`insert into contacts ${sql({ tenant_id: s.tenant, email, first_name: 'Walk', source: 'manual' })} returning id`
    const [survivor, gone, deal] = [await newContact(), await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email } }), await newDeal()]
    await associate('deals', deal.id, 'contacts', gone.id)
    await sync(s.connection)
    expect(await s.localOf('contact', gone.id)).toBe(lead.id) // linked by email, not duplicated
    const dealLocal = (await s.localOf('deal', deal.id))!
    expect((await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`).map((r) => r.contact_id)).toEqual([lead.id])

    await merge('contacts', survivor.id, gone.id)
    await sync(s.connection)
    expect((await sql`select archived_at from contacts where id = ${lead.id}`)[0].archived_at).toBeNull()
    expect(await s.localOf('contact', gone.id)).toBeUndefined()
    expect((await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`).map((r) => r.contact_id)).toEqual([lead.id])
  })

  it('a contact merged into another the app has: the deals listing it list the survivor', async () => {
    const s = await setup()
    const [survivor, gone, deal] = [await newContact(), await newContact(), await newDeal()]
    await associate('deals', deal.id, 'contacts', gone.id)
    await sync(s.connection)
    const dealLocal = (await s.localOf('deal', deal.id))!
    const goneLocal = (await s.localOf('contact', gone.id))!

    await merge('contacts', survivor.id, gone.id)
    await sync(s.connection)
    const survivorLocal = await s.localOf('contact', survivor.id)
    const listed = await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`
    expect(listed.map((r) => r.contact_id)).toEqual([survivorLocal])
    expect((await sql`select archived_at from contacts where id = ${goneLocal}`)[0].archived_at).not.toBeNull()
    expect(await s.entryOf('deal', deal.id, '@contacts')).toBe(`=${survivor.id}`)
    await s.expectQuiet()
  })
})

describe('a contact deleted in the CRM', () => {
  it('leaves the deals that listed it, and nothing is pushed back', async () => {
    const s = await setup()
    const [kept, deleted, deal] = [await newContact(), await newContact(), await newDeal()]
    await associate('deals', deal.id, 'contacts', kept.id)
    await associate('deals', deal.id, 'contacts', deleted.id)
    await sync(s.connection)
    const dealLocal = (await s.localOf('deal', deal.id))!
    const listed = async () => (await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`).map((r) => r.contact_id).sort()
    expect(await listed()).toEqual([await s.localOf('contact', kept.id), await s.localOf('contact', deleted.id)].sort())

    await control(sandbox, 'DELETE', `/rep/contacts/${deleted.id}`)
    expect((await sync(s.connection)).objects.contacts).toMatchObject({ archived: 1, failed: 0 })
    expect(await listed()).toEqual([await s.localOf('contact', kept.id)])
    expect(await s.entryOf('deal', deal.id, '@contacts')).not.toContain(deleted.id)
    await s.expectQuiet()
    const remote = await control<{ associations?: { contacts?: { results: { id: string }[] } } }>(sandbox, 'GET', `/records/deals/${deal.id}`)
    expect((remote.associations?.contacts?.results ?? []).map((r) => r.id)).toContain(kept.id)
  })
})

describe('a merge followed before the search index has caught up', () => {
  it('the merged-away record, still returned by the search as it was, is not imported again', async () => {
    const LAG = 1_500
    const portal = await testSandbox({ contacts: 1, companies: 0, deals: 0, owners: 1, seed: 84, searchIndexLagMs: LAG })
    const PUBLIC = 'https://hooks.syncline.test'
    const hook = webhookHandler(sql, PUBLIC, { process: false })
    const rep = <T>(method: string, path: string, body?: unknown) => control<T>(portal, method, path, body)
    const [survivor, gone] = [
      await rep<{ id: string }>('POST', '/rep/companies', { properties: { name: 'Survivor Co', domain: `s-${uniq()}.test` } }),
      await rep<{ id: string }>('POST', '/rep/companies', { properties: { name: 'Gone Co', domain: `g-${uniq()}.test` } }),
    ]
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, portal, tenant, { lookbackMs: 0 })
    await new Promise((r) => setTimeout(r, LAG + 100))
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    const liveCompanies = async () => (await sql`select name from companies where tenant_id = ${tenant} and archived_at is null order by name`).map((r) => r.name)
    expect(await liveCompanies()).toEqual(['Gone Co', 'Survivor Co'])

    // A rep edits the one later merged away, and the search index catches up with that edit…
    await rep('PATCH', `/rep/companies/${gone.id}`, { properties: { city: 'Porto' } })
    await new Promise((r) => setTimeout(r, LAG + 100))
    // …then merges it; the merge webhook is applied at once (the duplicate archived, its link dropped).
    await rep('POST', '/rep/companies/merge', { primaryObjectId: survivor.id, objectIdToMerge: gone.id })
    const res = await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([{
      eventId: 91_001, subscriptionId: 26, portalId: portal.portalId, appId: portal.appId, occurredAt: Date.now(),
      subscriptionType: 'company.merge', attemptNumber: 0, objectId: Number(survivor.id), changeSource: 'CRM_UI',
      primaryObjectId: Number(survivor.id), mergedObjectIds: [Number(gone.id)], newObjectId: Number(survivor.id),
    }])))
    expect(res.status).toBe(200)
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
    expect(await liveCompanies()).toEqual(['Survivor Co'])

    // Refresh CRM before the index catches up: its search still returns the merged-away company, edited.
    const run = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['company'] })
    expect(run.objects.companies).toMatchObject({ created: 0, skipped: 1, failed: 0 })
    expect(await liveCompanies()).toEqual(['Survivor Co'])
    expect(await sql`select remote_id from crm_links where connection_id = ${connection} and object_type = 'company' and remote_id = ${gone.id}`).toEqual([])
    // And once it has caught up, all is quiet.
    await new Promise((r) => setTimeout(r, LAG + 100))
    expect((await runSync(sql, { connectionId: connection, trigger: 'manual' })).objects.companies).toMatchObject({ created: 0, archived: 0, failed: 0 })
    expect(await liveCompanies()).toEqual(['Survivor Co'])
  })
})
