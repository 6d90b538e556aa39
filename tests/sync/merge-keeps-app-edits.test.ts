import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import type { ConnectionSettingsInput } from '../../lib/crm/settings'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// The app edits a record, and before that edit is pushed a rep merges the record into
// another one in HubSpot (or the merge came first and the sync has not seen it yet). The
// app's edit lands on the surviving record, in the app and in HubSpot, weighed by the
// connection's conflict strategy where the survivor's own value changed too.

const sql = testSql()
// Keep-id merges (the primary keeps its id: HubSpot's way before its merge change, and still for deals); merges-new-id.test.ts covers the new-id one.
const sandbox = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 91, config: { mergeNewId: false } })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

const uniq = () => randomUUID().slice(0, 8)
const newContact = (props: Record<string, string> = {}) =>
  control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `m-${uniq()}@example.com`, ...props } })
const merge = (survivor: string, gone: string) =>
  control(sandbox, 'POST', '/rep/contacts/merge', { primaryObjectId: survivor, objectIdToMerge: gone })
const remote = async (id: string) => (await control<{ properties: Record<string, string | null> }>(sandbox, 'GET', `/records/contacts/${id}`)).properties
const local = async (id: string) => (await sql`select job_title, last_name, archived_at from contacts where id = ${id}`)[0]
let nextEventId = 93_000

async function setup(settings: ConnectionSettingsInput = {}) {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0, ...settings })
  const sync = () => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
  const localOf = async (remoteId: string) =>
    (await sql`select local_id from crm_links where connection_id = ${connection} and object_type = 'contact' and remote_id = ${remoteId}`)[0]?.local_id as string | undefined
  /** The merge as HubSpot announces it (contact.merge), drained at once. */
  const mergeWebhook = async (survivor: string, gone: string) => {
    // Deliveries go to the portal's connections as a cache saw them up to 5 s ago: this test's is new.
    forgetWebhookTargets()
    const res = await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([{
      eventId: nextEventId++, subscriptionId: 27, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
      subscriptionType: 'contact.merge', attemptNumber: 0, objectId: Number(survivor), changeSource: 'CRM_UI',
      primaryObjectId: Number(survivor), mergedObjectIds: [Number(gone)], newObjectId: Number(survivor),
    }])))
    expect(res.status).toBe(200)
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
  }
  const quiet = async () => expect((await sync()).objects.contacts).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0, conflicts: 0 })
  return { tenant, connection, sync, localOf, mergeWebhook, quiet }
}

describe('an app edit on a contact HubSpot merges away', () => {
  it('both were in the app: the edit lands on the survivor, in the app and in HubSpot, and the duplicate is archived', async () => {
    const s = await setup()
    const [survivor, gone] = [await newContact({ lastname: 'Kept' }), await newContact({ jobtitle: 'Old title' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`

    await merge(survivor.id, gone.id) // HubSpot fills the survivor's empty job title with 'Old title'
    const run = await s.sync()
    expect(run.objects.contacts).toMatchObject({ archived: 1, pushed: 1, failed: 0 })
    expect(await local(survivorLocal)).toMatchObject({ job_title: 'App title', last_name: 'Kept', archived_at: null })
    expect((await local(goneLocal)).archived_at).not.toBeNull()
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title', lastname: 'Kept' })
    await s.quiet()
  })

  it('the merge came first and the app edited the merged-away record before the sync saw it: the same', async () => {
    const s = await setup()
    const [survivor, gone] = [await newContact({ jobtitle: 'Survivor title' }), await newContact({ jobtitle: 'Old title' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await merge(survivor.id, gone.id)
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, pushed: 1, failed: 0 })
    expect(await local(survivorLocal)).toMatchObject({ job_title: 'App title', archived_at: null })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title' })
    await s.quiet()
  })

  it('only the merged-away one was in the app: the local record follows the survivor and the edit goes to it', async () => {
    const s = await setup()
    const gone = await newContact({ jobtitle: 'Old title' })
    await s.sync()
    const goneLocal = (await s.localOf(gone.id))!
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`
    const survivor = await newContact({ lastname: 'Kept' })
    await merge(survivor.id, gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect(await s.localOf(survivor.id)).toBe(goneLocal)
    expect(await local(goneLocal)).toMatchObject({ job_title: 'App title', last_name: 'Kept', archived_at: null })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title', lastname: 'Kept' })
    await s.quiet()
  })

  it('followed by the merge webhook: the survivor carries the edit at once, and the next sync sends it', async () => {
    const s = await setup()
    const [survivor, gone] = [await newContact(), await newContact({ jobtitle: 'Old title' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`
    await merge(survivor.id, gone.id)

    await s.mergeWebhook(survivor.id, gone.id)
    expect(await local(survivorLocal)).toMatchObject({ job_title: 'App title', archived_at: null })
    expect((await local(goneLocal)).archived_at).not.toBeNull()
    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title' })
    await s.quiet()
  })

  it('manual_review, and a rep changed the survivor\'s value too: a conflict to decide, nothing overwritten in HubSpot', async () => {
    const s = await setup({ conflicts: { strategy: 'manual_review' } })
    const [survivor, gone] = [await newContact({ jobtitle: 'Survivor title' }), await newContact({ jobtitle: 'Old title' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`
    await control(sandbox, 'PATCH', `/rep/contacts/${survivor.id}`, { properties: { jobtitle: 'Rep title' } })
    await merge(survivor.id, gone.id)

    const run = await s.sync()
    expect(run.objects.contacts).toMatchObject({ conflicts: 1, pushed: 0, failed: 0 })
    const conflicts = await sql`select fields, local_snapshot, remote_snapshot from sync_conflicts
                                 where connection_id = ${s.connection} and local_id = ${survivorLocal} and status = 'open'`
    expect(conflicts).toHaveLength(1)
    expect([...conflicts[0].fields]).toEqual(['jobTitle'])
    expect(conflicts[0].local_snapshot).toMatchObject({ jobTitle: 'App title' })
    expect(conflicts[0].remote_snapshot).toMatchObject({ jobTitle: 'Rep title' })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'Rep title' })
  })

  it('manual_review, and the survivor only holds the value the edit replaced (the merge filled it in): no conflict, the edit goes', async () => {
    const s = await setup({ conflicts: { strategy: 'manual_review' } })
    const [survivor, gone] = [await newContact(), await newContact({ jobtitle: 'Old title' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`
    await merge(survivor.id, gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ conflicts: 0, pushed: 1, failed: 0 })
    expect(await local(survivorLocal)).toMatchObject({ job_title: 'App title' })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title' })
    await s.quiet()
  })

  it('the app moved the merged-away contact to another company: the survivor takes that company, in the app and in HubSpot', async () => {
    const s = await setup()
    const syncAll = () => runSync(sql, { connectionId: s.connection, trigger: 'manual', objects: ['company', 'contact'] })
    const newCompany = () => control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Co ${uniq()}` } })
    const [oldCo, newCo, survivor, gone] = [await newCompany(), await newCompany(), await newContact(), await newContact()]
    await control(sandbox, 'PUT', `/rep/associations/contacts/${gone.id}/companies/${oldCo.id}`)
    await syncAll()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    const [newCoLocal] = await sql`select local_id from crm_links where connection_id = ${s.connection} and object_type = 'company' and remote_id = ${newCo.id}`
    await sql`update contacts set company_id = ${newCoLocal.local_id} where id = ${goneLocal}`
    await merge(survivor.id, gone.id) // HubSpot moves the old company over to the survivor

    expect((await syncAll()).objects.contacts).toMatchObject({ archived: 1, failed: 0 })
    expect((await sql`select company_id from contacts where id = ${survivorLocal}`)[0].company_id).toBe(newCoLocal.local_id)
    const inHubSpot = await control<{ associations?: { companies?: { results: { id: string }[] } } }>(sandbox, 'GET', `/records/contacts/${survivor.id}`)
    expect([...new Set((inHubSpot.associations?.companies?.results ?? []).map((r) => r.id))]).toEqual([newCo.id]) // one entry per association label
    expect((await syncAll()).objects.contacts).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
  })

  it('a manual lead linked to the merged-away contact: its edit goes to the survivor, the lead stays, and HubSpot gets no new contact', async () => {
    const s = await setup()
    const email = `walk-in-${uniq()}@example.com`
    const [lead] = await sql`insert into contacts ${sql({ tenant_id: s.tenant, email, first_name: 'Walk', source: 'manual' })} returning id`
    const [survivor, gone] = [await newContact(), await newContact({ email, jobtitle: 'Old title' })]
    await s.sync()
    expect(await s.localOf(gone.id)).toBe(lead.id)
    const survivorLocal = (await s.localOf(survivor.id))!
    await sql`update contacts set job_title = 'App title' where id = ${lead.id}`
    await merge(survivor.id, gone.id)
    const contactsInHubSpot = async () => (await control<{ total: number }>(sandbox, 'GET', '/records/contacts?limit=1')).total
    const before = await contactsInHubSpot()

    expect((await s.sync()).objects.contacts).toMatchObject({ created: 0, pushed: 1, failed: 0 })
    expect(await local(survivorLocal)).toMatchObject({ job_title: 'App title' })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title' })
    expect(await local(lead.id)).toMatchObject({ job_title: 'App title', archived_at: null })
    expect(await contactsInHubSpot()).toBe(before)
    await s.quiet()
  })
})

describe('an app edit on a company HubSpot merges away', () => {
  it('lands on the surviving company, in the app and in HubSpot', async () => {
    const s = await setup()
    const syncCompanies = () => runSync(sql, { connectionId: s.connection, trigger: 'manual', objects: ['company'] })
    const newCompany = (props: Record<string, string>) => control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Co ${uniq()}`, ...props } })
    const [survivor, gone] = [await newCompany({ city: 'Lisbon' }), await newCompany({ city: 'Porto' })]
    await syncCompanies()
    const localOf = async (remoteId: string) =>
      (await sql`select local_id from crm_links where connection_id = ${s.connection} and object_type = 'company' and remote_id = ${remoteId}`)[0].local_id as string
    const [survivorLocal, goneLocal] = [await localOf(survivor.id), await localOf(gone.id)]
    await sql`update companies set city = 'Braga' where id = ${goneLocal}`
    await control(sandbox, 'POST', '/rep/companies/merge', { primaryObjectId: survivor.id, objectIdToMerge: gone.id })

    expect((await syncCompanies()).objects.companies).toMatchObject({ archived: 1, pushed: 1, failed: 0 })
    expect((await sql`select city from companies where id = ${survivorLocal}`)[0].city).toBe('Braga')
    expect((await control<{ properties: Record<string, string> }>(sandbox, 'GET', `/records/companies/${survivor.id}`)).properties.city).toBe('Braga')
  })
})

describe('the merge came first and the sync has not seen it yet (HubSpot\'s search lags behind it)', () => {
  it('the app deleting its copy of a merged-away contact never archives the survivor, and an edit of another ends on the survivor', async () => {
    const LAG = 1_500
    const portal = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 96, searchIndexLagMs: LAG })
    const caughtUp = () => new Promise((r) => setTimeout(r, LAG + 100))
    const rep = <T>(method: string, path: string, body?: unknown) => control<T>(portal, method, path, body)
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, portal, tenant, { lookbackMs: 0 })
    const sync = () => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    const [survivor, edited, deleted] = await Promise.all(['s', 'e', 'd'].map((k) =>
      rep<{ id: string }>('POST', '/rep/contacts', { properties: { email: `${k}-${uniq()}@example.com`, jobtitle: `Title ${k}` } })))
    await caughtUp()
    await sync()
    const localOf = async (remoteId: string) =>
      (await sql`select local_id from crm_links where connection_id = ${connection} and object_type = 'contact' and remote_id = ${remoteId}`)[0]?.local_id as string
    const [survivorLocal, editedLocal, deletedLocal] = [await localOf(survivor.id), await localOf(edited.id), await localOf(deleted.id)]

    await rep('POST', '/rep/contacts/merge', { primaryObjectId: survivor.id, objectIdToMerge: edited.id })
    await rep('POST', '/rep/contacts/merge', { primaryObjectId: survivor.id, objectIdToMerge: deleted.id })
    await sql`update contacts set job_title = 'App title' where id = ${editedLocal}`
    await sql`delete from contacts where id = ${deletedLocal}`
    await sync() // its search does not return the survivor yet
    const inHubSpot = await rep<{ archived?: boolean; properties: Record<string, string> }>('GET', `/records/contacts/${survivor.id}`)
    expect(inHubSpot.archived ?? false).toBe(false)

    await caughtUp()
    expect((await sync()).objects.contacts).toMatchObject({ archived: 1, failed: 0 })
    expect((await sql`select job_title, archived_at from contacts where id = ${survivorLocal}`)[0]).toMatchObject({ job_title: 'App title', archived_at: null })
    expect((await rep<{ properties: Record<string, string> }>('GET', `/records/contacts/${survivor.id}`)).properties.jobtitle).toBe('App title')
    expect(await sql`select 1 from crm_outbox where connection_id = ${connection}`).toHaveLength(0)
  })
})

describe('an app edit of the email or phone of a contact HubSpot merges away', () => {
  // HubSpot keeps the survivor's email and phone on a merge: they are who it is there. The
  // app's edit was of the other contact's, so it never silently replaces the survivor's own.
  const identity = async (id: string) => (await sql`select email, phone from contacts where id = ${id}`)[0]
  const openOn = (connection: string, localId: string) =>
    sql`select fields, local_snapshot, remote_snapshot from sync_conflicts
         where connection_id = ${connection} and local_id = ${localId} and status = 'open'`

  it.each([
    { field: 'email', prop: 'email', survivorValue: `b.own-${uniq()}@example.com`, goneValue: `a.old-${uniq()}@example.com`, appValue: `x.new-${uniq()}@example.com` },
    { field: 'phone', prop: 'phone', survivorValue: '+12025550143', goneValue: '+12025550188', appValue: '+12025550199' },
  ])('the survivor has its own $field: a conflict on the survivor for a person, HubSpot keeps the survivor\'s', async ({ field, prop, survivorValue, goneValue, appValue }) => {
    const s = await setup()
    const [survivor, gone] = [await newContact({ [prop]: survivorValue }), await newContact({ [prop]: goneValue })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set ${sql(field)} = ${appValue} where id = ${goneLocal}`
    await merge(survivor.id, gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, conflicts: 1, pushed: 0, failed: 0 })
    expect(await remote(survivor.id)).toMatchObject({ [prop]: survivorValue })
    const conflicts = await openOn(s.connection, survivorLocal)
    expect(conflicts).toHaveLength(1)
    expect([...conflicts[0].fields]).toEqual([field])
    expect(conflicts[0].local_snapshot).toMatchObject({ [field]: appValue })
    expect(conflicts[0].remote_snapshot).toMatchObject({ [field]: survivorValue })
    // Still waiting at the next sync: nothing sent meanwhile.
    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect(await remote(survivor.id)).toMatchObject({ [prop]: survivorValue })
  })

  it('the same, followed by the merge webhook: held on the survivor at once, and nothing sent', async () => {
    const s = await setup()
    const own = `b.own-${uniq()}@example.com`
    const [survivor, gone] = [await newContact({ email: own }), await newContact()]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set email = ${`x.new-${uniq()}@example.com`} where id = ${goneLocal}`
    await merge(survivor.id, gone.id)

    await s.mergeWebhook(survivor.id, gone.id)
    expect(await openOn(s.connection, survivorLocal)).toMatchObject([{ remote_snapshot: { email: own } }])
    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect(await remote(survivor.id)).toMatchObject({ email: own })
  })

  it('the survivor has no phone: it takes the app\'s, in the app and in HubSpot, with no conflict', async () => {
    const s = await setup()
    const [survivor, gone] = [await newContact(), await newContact({ phone: '+12025550188' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set phone = '+12025550199' where id = ${goneLocal}`
    await merge(survivor.id, gone.id) // HubSpot fills the survivor's empty phone with the old one

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, conflicts: 0, pushed: 1, failed: 0 })
    expect(await identity(survivorLocal)).toMatchObject({ phone: '+12025550199' })
    expect(await remote(survivor.id)).toMatchObject({ phone: '+12025550199' })
    expect(await openOn(s.connection, survivorLocal)).toHaveLength(0)
    await s.quiet()
  })
})

describe('an app edit of the domain of a company HubSpot merges away', () => {
  // A company's domain is who it is in HubSpot, as a contact's email is, and a merge keeps the
  // survivor's: the app's edit of the other company's never silently replaces it.
  async function companies(settings: ConnectionSettingsInput = {}) {
    const s = await setup(settings)
    const sync = async () => (await runSync(sql, { connectionId: s.connection, trigger: 'manual', objects: ['company'] })).objects.companies
    const newCompany = (props: Record<string, string> = {}) =>
      control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Co ${uniq()}`, ...props } })
    const localOf = async (remoteId: string) =>
      (await sql`select local_id from crm_links where connection_id = ${s.connection} and object_type = 'company' and remote_id = ${remoteId}`)[0].local_id as string
    const domainOf = async (remoteId: string) =>
      (await control<{ properties: Record<string, string | null> }>(sandbox, 'GET', `/records/companies/${remoteId}`)).properties.domain
    const localDomain = async (id: string) => (await sql`select domain from companies where id = ${id}`)[0].domain as string | null
    const openOn = (localId: string) => sql`select fields, local_snapshot, remote_snapshot from sync_conflicts
      where connection_id = ${s.connection} and local_id = ${localId} and status = 'open'`
    /** Two companies synced, the app edits the domain of `gone`, and a rep merges it into `survivor`. */
    const mergeAfterEdit = async (survivorProps: Record<string, string>, goneProps: Record<string, string>, appDomain: string) => {
      const [survivor, gone] = [await newCompany(survivorProps), await newCompany(goneProps)]
      await sync()
      const [survivorLocal, goneLocal] = [await localOf(survivor.id), await localOf(gone.id)]
      await sql`update companies set domain = ${appDomain} where id = ${goneLocal}`
      await control(sandbox, 'POST', '/rep/companies/merge', { primaryObjectId: survivor.id, objectIdToMerge: gone.id })
      return { survivor, survivorLocal }
    }
    return { sync, domainOf, localDomain, openOn, mergeAfterEdit }
  }

  it.each<{ strategy: string; settings: ConnectionSettingsInput }>([
    { strategy: 'timestamp_based', settings: {} },
    { strategy: 'source_priority, the app first', settings: { conflicts: { strategy: 'source_priority', sourcePriority: ['app', 'crm'] } } },
  ])('the survivor has its own domain ($strategy): a conflict on the survivor for a person, HubSpot keeps the survivor\'s', async ({ settings }) => {
    const c = await companies(settings)
    const [own, appDomain] = [`own-${uniq()}.test`, `new-${uniq()}.test`]
    const { survivor, survivorLocal } = await c.mergeAfterEdit({ domain: own }, { domain: `old-${uniq()}.test` }, appDomain)

    expect(await c.sync()).toMatchObject({ archived: 1, conflicts: 1, pushed: 0, failed: 0 })
    expect(await c.domainOf(survivor.id)).toBe(own)
    const conflicts = await c.openOn(survivorLocal)
    expect(conflicts).toHaveLength(1)
    expect([...conflicts[0].fields]).toEqual(['domain'])
    expect(conflicts[0].local_snapshot).toMatchObject({ domain: appDomain })
    expect(conflicts[0].remote_snapshot).toMatchObject({ domain: own })
    // Still waiting at the next sync: nothing sent meanwhile.
    expect(await c.sync()).toMatchObject({ pushed: 0, failed: 0 })
    expect(await c.domainOf(survivor.id)).toBe(own)
  })

  it('the survivor has no domain: it takes the app\'s, in the app and in HubSpot, with no conflict', async () => {
    const c = await companies()
    const appDomain = `new-${uniq()}.test`
    // HubSpot fills the survivor's empty domain with the merged-away one's, the one the edit replaced.
    const { survivor, survivorLocal } = await c.mergeAfterEdit({}, { domain: `old-${uniq()}.test` }, appDomain)

    expect(await c.sync()).toMatchObject({ archived: 1, conflicts: 0, pushed: 1, failed: 0 })
    expect(await c.localDomain(survivorLocal)).toBe(appDomain)
    expect(await c.domainOf(survivor.id)).toBe(appDomain)
    expect(await c.openOn(survivorLocal)).toHaveLength(0)
    expect(await c.sync()).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0, conflicts: 0 })
  })
})

describe('an open conflict on a contact HubSpot merges away', () => {
  const conflictsOf = (connection: string, localId: string) =>
    sql`select status, remote_id, fields, local_snapshot, remote_snapshot, resolution from sync_conflicts
         where connection_id = ${connection} and local_id = ${localId} order by id`
  /** Under manual_review, the merged-away contact's job title held in a conflict: the app's 'App title' against a rep's 'Rep title'. */
  async function heldOnGone(survivorProps: Record<string, string>) {
    const s = await setup({ conflicts: { strategy: 'manual_review' } })
    const [survivor, gone] = [await newContact(survivorProps), await newContact({ jobtitle: 'Old title' })]
    await s.sync()
    const [survivorLocal, goneLocal] = [(await s.localOf(survivor.id))!, (await s.localOf(gone.id))!]
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`
    await control(sandbox, 'PATCH', `/rep/contacts/${gone.id}`, { properties: { jobtitle: 'Rep title' } })
    expect((await s.sync()).objects.contacts).toMatchObject({ conflicts: 1, failed: 0 })
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'open' }])
    return { s, survivor, gone, survivorLocal, goneLocal }
  }

  it('both in the app: the duplicate\'s conflict is dismissed as merged by that sync, and the question reopens on the survivor, which HubSpot gave the rep\'s value', async () => {
    const { s, survivor, gone, survivorLocal, goneLocal } = await heldOnGone({ lastname: 'Kept' })
    await merge(survivor.id, gone.id) // the survivor had no job title: HubSpot fills in 'Rep title'

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, conflicts: 1, pushed: 0, failed: 0 })
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'dismissed', resolution: { dismissed: 'merged' } }])
    const [moved] = await conflictsOf(s.connection, survivorLocal)
    expect(moved).toMatchObject({ status: 'open', remote_id: survivor.id, local_snapshot: { jobTitle: 'App title' }, remote_snapshot: { jobTitle: 'Rep title' } })
    expect([...moved.fields]).toEqual(['jobTitle'])
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'Rep title' })
  })

  it('both in the app, the survivor kept its own value: the duplicate\'s conflict is dismissed as merged, and the app\'s edit goes to the survivor as any edit would', async () => {
    const { s, survivor, gone, survivorLocal, goneLocal } = await heldOnGone({ jobtitle: 'Survivor title' })
    await merge(survivor.id, gone.id) // HubSpot keeps 'Survivor title': the rep's value went with the duplicate

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, conflicts: 0, pushed: 1, failed: 0 })
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'dismissed', resolution: { dismissed: 'merged' } }])
    expect(await conflictsOf(s.connection, survivorLocal)).toHaveLength(0)
    expect(await local(survivorLocal)).toMatchObject({ job_title: 'App title' })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'App title' })
  })

  it('the owner switched to "the newer edit wins" and left the conflict waiting: the held field stays held on the survivor, for a person, not decided by the new strategy', async () => {
    const { s, survivor, gone, survivorLocal, goneLocal } = await heldOnGone({ lastname: 'Kept' })
    await sql`update crm_connections set settings = jsonb_set(settings, '{conflicts}', ${sql.json({ strategy: 'timestamp_based', tiebreak: 'app' } as never)}::jsonb)
               where id = ${s.connection}`
    await merge(survivor.id, gone.id) // HubSpot fills the survivor's empty job title with the rep's

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, conflicts: 1, pushed: 0, failed: 0 })
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'dismissed', resolution: { dismissed: 'merged' } }])
    const [held] = await conflictsOf(s.connection, survivorLocal)
    expect(held).toMatchObject({ status: 'open', remote_id: survivor.id, local_snapshot: { jobTitle: 'App title' }, remote_snapshot: { jobTitle: 'Rep title' } })
    expect([...held.fields]).toEqual(['jobTitle'])
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'Rep title', lastname: 'Kept' })
    // Still waiting at the next sync: the strategy does not settle it there either.
    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect(await conflictsOf(s.connection, survivorLocal)).toMatchObject([{ status: 'open', local_snapshot: { jobTitle: 'App title' } }])
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'Rep title' })
  })

  it('the same, followed by the merge webhook: held on the survivor at once', async () => {
    const { s, survivor, gone, survivorLocal, goneLocal } = await heldOnGone({ lastname: 'Kept' })
    await sql`update crm_connections set settings = jsonb_set(settings, '{conflicts}', ${sql.json({ strategy: 'timestamp_based', tiebreak: 'app' } as never)}::jsonb)
               where id = ${s.connection}`
    await merge(survivor.id, gone.id)

    await s.mergeWebhook(survivor.id, gone.id)
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'dismissed', resolution: { dismissed: 'merged' } }])
    expect(await conflictsOf(s.connection, survivorLocal)).toMatchObject([{ status: 'open', local_snapshot: { jobTitle: 'App title' }, remote_snapshot: { jobTitle: 'Rep title' } }])
    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'Rep title' })
  })

  it('the same, the survivor already waiting on another field: one conflict holds both', async () => {
    const { s, survivor, gone, survivorLocal, goneLocal } = await heldOnGone({ lastname: 'Kept' })
    await sql`update contacts set last_name = 'App name' where id = ${survivorLocal}`
    await control(sandbox, 'PATCH', `/rep/contacts/${survivor.id}`, { properties: { lastname: 'Rep name' } })
    expect((await s.sync()).objects.contacts).toMatchObject({ conflicts: 1, failed: 0 })
    await sql`update crm_connections set settings = jsonb_set(settings, '{conflicts}', ${sql.json({ strategy: 'timestamp_based', tiebreak: 'app' } as never)}::jsonb)
               where id = ${s.connection}`
    await merge(survivor.id, gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ archived: 1, pushed: 0, failed: 0 })
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'dismissed', resolution: { dismissed: 'merged' } }])
    const [held] = await conflictsOf(s.connection, survivorLocal)
    expect(held).toMatchObject({ status: 'open', local_snapshot: { jobTitle: 'App title', lastName: 'App name' }, remote_snapshot: { jobTitle: 'Rep title', lastName: 'Rep name' } })
    expect([...held.fields].sort()).toEqual(['jobTitle', 'lastName'])
    expect(await remote(survivor.id)).toMatchObject({ jobtitle: 'Rep title', lastname: 'Rep name' })
  })

  it('followed by the merge webhook: the same, at once', async () => {
    const { s, survivor, gone, survivorLocal, goneLocal } = await heldOnGone({ lastname: 'Kept' })
    await merge(survivor.id, gone.id)

    await s.mergeWebhook(survivor.id, gone.id)
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'dismissed', resolution: { dismissed: 'merged' } }])
    expect(await conflictsOf(s.connection, survivorLocal)).toMatchObject([{ status: 'open', remote_id: survivor.id, local_snapshot: { jobTitle: 'App title' } }])
  })

  it('only the merged-away one in the app: the conflict stays open on its record, which now stands for the survivor', async () => {
    const s = await setup({ conflicts: { strategy: 'manual_review' } })
    const gone = await newContact({ jobtitle: 'Old title' })
    await s.sync()
    const goneLocal = (await s.localOf(gone.id))!
    await sql`update contacts set job_title = 'App title' where id = ${goneLocal}`
    await control(sandbox, 'PATCH', `/rep/contacts/${gone.id}`, { properties: { jobtitle: 'Rep title' } })
    await s.sync()
    const survivor = await newContact({ lastname: 'Kept' })
    await merge(survivor.id, gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect(await s.localOf(survivor.id)).toBe(goneLocal)
    expect(await conflictsOf(s.connection, goneLocal)).toMatchObject([{ status: 'open', remote_id: survivor.id, local_snapshot: { jobTitle: 'App title' }, remote_snapshot: { jobTitle: 'Rep title' } }])
  })
})

describe('an app edit of the contacts of a deal HubSpot merges away', () => {
  const newDeal = () => control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
  const associate = (dealId: string, contactId: string) => control(sandbox, 'PUT', `/rep/associations/deals/${dealId}/contacts/${contactId}`)
  const remoteContacts = async (dealId: string) =>
    [...new Set(((await control<{ associations?: { contacts?: { results: { id: string }[] } } }>(sandbox, 'GET', `/records/deals/${dealId}`))
      .associations?.contacts?.results ?? []).map((r) => r.id))].sort()

  async function dealsSetup() {
    const s = await setup()
    const syncAll = () => runSync(sql, { connectionId: s.connection, trigger: 'manual', objects: ['contact', 'deal'] })
    const dealOf = async (remoteId: string) =>
      (await sql`select local_id from crm_links where connection_id = ${s.connection} and object_type = 'deal' and remote_id = ${remoteId}`)[0]?.local_id as string | undefined
    const listed = async (dealLocal: string) =>
      (await sql`select l.remote_id from deal_contacts dc join crm_links l on l.connection_id = ${s.connection} and l.object_type = 'contact' and l.local_id = dc.contact_id
                  where dc.deal_id = ${dealLocal}`).map((r) => r.remote_id as string).sort()
    const contacts = await Promise.all([1, 2, 3, 4, 5].map(() => newContact()))
    const [c1, c2, c3, c4, c5] = contacts.map((c) => c.id)
    return { s, syncAll, dealOf, listed, c1, c2, c3, c4, c5 }
  }

  it('both deals were in the app: the contact the app added goes on the survivor and the one it took off comes off, in the app and in HubSpot; a rep\'s addition stands', async () => {
    const { s, syncAll, dealOf, listed, c1, c2, c3, c4, c5 } = await dealsSetup()
    const [survivor, gone] = [await newDeal(), await newDeal()]
    await associate(survivor.id, c1)
    await associate(gone.id, c2)
    await associate(gone.id, c3)
    await syncAll()
    const [survivorLocal, goneLocal] = [(await dealOf(survivor.id))!, (await dealOf(gone.id))!]
    const contactOf = async (remoteId: string) => (await s.localOf(remoteId))!
    // The app adds c4 to the deal later merged away and takes c3 off it (not pushed yet).
    await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${s.tenant}, ${goneLocal}, ${await contactOf(c4)})`
    await sql`delete from deal_contacts where deal_id = ${goneLocal} and contact_id = ${await contactOf(c3)}`
    await associate(survivor.id, c5) // a rep's own change to the survivor meanwhile
    await control(sandbox, 'POST', '/rep/deals/merge', { primaryObjectId: survivor.id, objectIdToMerge: gone.id }) // HubSpot moves c2 and c3 over

    const run = await syncAll()
    expect(run.objects.deals).toMatchObject({ archived: 1, pushed: 1, failed: 0 })
    expect(await listed(survivorLocal)).toEqual([c1, c2, c4, c5].sort())
    expect(await remoteContacts(survivor.id)).toEqual([c1, c2, c4, c5].sort())
    expect((await sql`select archived_at from deals where id = ${goneLocal}`)[0].archived_at).not.toBeNull()
    const again = await syncAll()
    expect(again.objects.deals).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
    expect(await listed(survivorLocal)).toEqual([c1, c2, c4, c5].sort())
  })

  it('only the merged-away deal was in the app: it follows the survivor, and the edit goes to it', async () => {
    const { s, syncAll, dealOf, listed, c1, c2, c3, c4 } = await dealsSetup()
    const gone = await newDeal()
    await associate(gone.id, c2)
    await associate(gone.id, c3)
    await syncAll()
    const goneLocal = (await dealOf(gone.id))!
    await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${s.tenant}, ${goneLocal}, ${(await s.localOf(c4))!})`
    await sql`delete from deal_contacts where deal_id = ${goneLocal} and contact_id = ${(await s.localOf(c3))!}`
    const survivor = await newDeal()
    await associate(survivor.id, c1)
    await control(sandbox, 'POST', '/rep/deals/merge', { primaryObjectId: survivor.id, objectIdToMerge: gone.id })

    expect((await syncAll()).objects.deals).toMatchObject({ pushed: 1, failed: 0 })
    expect(await dealOf(survivor.id)).toBe(goneLocal)
    expect(await listed(goneLocal)).toEqual([c1, c2, c4].sort())
    expect(await remoteContacts(survivor.id)).toEqual([c1, c2, c4].sort())
    expect((await syncAll()).objects.deals).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
  })
})
