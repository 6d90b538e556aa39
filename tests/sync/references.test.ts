import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { pruneHistory } from '../../lib/store/retention'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// A record can arrive before the record it links to: a contact read while its new company
// was not yet in the app (a company created after the run's company phase, a webhook for
// the contact before the company's). The link is made as soon as the company arrives.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 4, companies: 1, deals: 0, owners: 1, seed: 71 })

type Obj = 'owner' | 'company' | 'contact' | 'deal'
const sync = (connectionId: string, objects?: Obj[]) => runSync(sql, { connectionId, trigger: 'manual', objects })
const uniq = () => randomUUID().slice(0, 8)
const companyIdOf = async (table: 'contacts' | 'deals', id: string) =>
  (await sql.unsafe(`select company_id from ${table} where id = $1`, [id]))[0].company_id as string | null

/**
 * A synced connection with a record of `type` that has no company, then a company created
 * in HubSpot and associated with it (and the record edited, so the search finds it).
 */
async function recordAheadOfItsCompany(type: 'contacts' | 'deals') {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0 })
  const properties = type === 'contacts' ? { email: `loner-${uniq()}@example.com` } : { dealname: `Loner ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' }
  const record = await control<{ id: string }>(sandbox, 'POST', `/rep/${type}`, { properties })
  await sync(connection)
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${record.id}`
  const company = await control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Late ${uniq()}`, domain: `late-${uniq()}.test` } })
  await control(sandbox, 'PUT', `/rep/associations/${type}/${record.id}/companies/${company.id}`)
  await control(sandbox, 'PATCH', `/rep/${type}/${record.id}`, { properties: type === 'contacts' ? { jobtitle: 'Moved' } : { amount: '500' } })
  return { tenant, connection, localId: link.local_id as string, companyRemoteId: company.id }
}

const companyLocalId = async (connection: string, remoteId: string) =>
  (await sql`select local_id from crm_links where connection_id = ${connection} and object_type = 'company' and remote_id = ${remoteId}`)[0]?.local_id as string | undefined

describe('links to records that arrive later', () => {
  it.each(['contacts', 'deals'] as const)('%s read before their company get it when the company arrives, without changing again', async (type) => {
    const { connection, localId, companyRemoteId } = await recordAheadOfItsCompany(type)

    // This type only: the record arrives, its company is not in the app yet.
    const first = await sync(connection, [type === 'contacts' ? 'contact' : 'deal'])
    expect(first.objects[type]).toMatchObject({ updated: 1, failed: 0 })
    expect(await companyIdOf(type, localId)).toBeNull()
    // Only the reference that did not resolve waits, and it is taken when its company comes.
    const pending = async () => (await sql`select kind, remote_id, local_id from crm_pending_refs where connection_id = ${connection}`)
    expect(await pending()).toEqual([{ kind: 'company', remote_id: companyRemoteId, local_id: localId }])

    // The next run brings the company: the record, unchanged in HubSpot since, links to it.
    await sync(connection)
    const company = await companyLocalId(connection, companyRemoteId)
    expect(company).toBeDefined()
    expect(await companyIdOf(type, localId)).toBe(company)
    expect(await pending()).toEqual([])

    // And that is settled: nothing is written or pushed back on the run after.
    const again = await sync(connection)
    for (const o of Object.values(again.objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
  })

  it('a contact assigned to a rep added since the last run gets the owner when the owners are next read', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0 })
    await sync(connection)
    const [contact] = await sql`select local_id, remote_id from crm_links where connection_id = ${connection} and object_type = 'contact' limit 1`
    const rep = await control<{ id: string; email: string }>(sandbox, 'POST', '/owners', { email: `new-rep-${uniq()}@example.com`, firstName: 'Nia' })
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remote_id}`, { properties: { hubspot_owner_id: rep.id } })

    // Contacts only (as a webhook would): the contact arrives before its owner.
    expect((await sync(connection, ['contact'])).objects.contacts).toMatchObject({ updated: 1, failed: 0 })
    const ownerOf = async () => (await sql`select owner_id, owner_email from contacts where id = ${contact.local_id}`)[0]
    expect(await ownerOf()).toEqual({ owner_id: null, owner_email: null })

    await sync(connection)
    const [owner] = await sql`select id from owners where connection_id = ${connection} and remote_id = ${rep.id}`
    expect(await ownerOf()).toEqual({ owner_id: owner.id, owner_email: rep.email })
    const again = await sync(connection)
    for (const o of Object.values(again.objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
  })

  it.each([false, true])("a deal read before one of its contacts gets the contact when the contact arrives (the app edited the deal's contacts meanwhile: %s)", async (appEdited) => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0 })
    const deal = await control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
    await sync(connection)
    const contact = await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `buyer-${uniq()}@example.com` } })
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/contacts/${contact.id}`)
    await control(sandbox, 'PATCH', `/rep/deals/${deal.id}`, { properties: { amount: '900' } })

    // Deals only (as a webhook for the deal ahead of the contact's would): the contact is not here yet.
    expect((await sync(connection, ['deal'])).objects.deals).toMatchObject({ updated: 1, failed: 0 })
    const dealContacts = async () => (await sql`select l.remote_id from deal_contacts dc
                                                 join crm_links d on d.local_id = dc.deal_id and d.connection_id = ${connection}
                                                 join crm_links l on l.local_id = dc.contact_id and l.connection_id = ${connection}
                                                where d.remote_id = ${deal.id}`).map((r) => r.remote_id)
    expect(await dealContacts()).toEqual([])

    if (appEdited) {
      // The app's list for the deal (one contact of its own) stands until it is pushed.
      const [own] = await sql`select local_id from crm_links where connection_id = ${connection} and object_type = 'contact' limit 1`
      const [d] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${deal.id}`
      await sql`insert into deal_contacts (tenant_id, deal_id, contact_id) values (${tenant}, ${d.local_id}, ${own.local_id})`
      await sync(connection, ['contact'])
      expect(await dealContacts()).not.toContain(contact.id)
      return
    }
    await sync(connection)
    expect(await dealContacts()).toEqual([contact.id])
    const again = await sync(connection)
    for (const o of Object.values(again.objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
  })

  it("a record whose company the app changed meanwhile keeps the app's until its push", async () => {
    const { tenant, connection, localId, companyRemoteId } = await recordAheadOfItsCompany('contacts')
    await sync(connection, ['contact'])
    // A person set a company and took it off again: the app's last word is "no company".
    const [other] = await sql`insert into companies ${sql({ tenant_id: tenant, name: 'Elsewhere', domain: `else-${uniq()}.test` })} returning id`
    await sql`update contacts set company_id = ${other.id} where id = ${localId}`
    await sql`update contacts set company_id = null where id = ${localId}`

    await sync(connection, ['company'])
    expect(await companyLocalId(connection, companyRemoteId)).toBeDefined()
    expect(await companyIdOf('contacts', localId)).toBeNull()
  })

  it('the hourly prune drops references nothing can use any more, and keeps those still waiting', async () => {
    // Two contacts wait for their new companies.
    const moved = await recordAheadOfItsCompany('contacts')
    await sync(moved.connection, ['contact'])
    const { connection } = moved
    const other = await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `waits-${uniq()}@example.com` } })
    const awaited = await control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Awaited ${uniq()}`, domain: `aw-${uniq()}.test` } })
    await control(sandbox, 'PUT', `/rep/associations/contacts/${other.id}/companies/${awaited.id}`)
    await sync(connection, ['contact'])
    const pending = async () => (await sql`select remote_id from crm_pending_refs where connection_id = ${connection} order by remote_id`).map((r) => r.remote_id)
    expect(await pending()).toEqual([moved.companyRemoteId, awaited.id].sort())

    // A rep moves the first contact to a company the app has: its wait is over.
    const [known] = await sql`select remote_id from crm_links where connection_id = ${connection} and object_type = 'company' limit 1`
    const [contact] = await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${moved.localId}`
    await control(sandbox, 'DELETE', `/rep/associations/contacts/${contact.remote_id}/companies/${moved.companyRemoteId}`)
    await control(sandbox, 'PUT', `/rep/associations/contacts/${contact.remote_id}/companies/${known.remote_id}`)
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remote_id}`, { properties: { jobtitle: 'Moved again' } })
    await sync(connection, ['contact'])
    expect(await companyIdOf('contacts', moved.localId)).toBe(await companyLocalId(connection, known.remote_id))

    expect((await pruneHistory(sql)).pendingRefs).toBeGreaterThanOrEqual(1)
    expect(await pending()).toEqual([awaited.id])
    // What is kept still works: the company arrives and the contact gets it.
    await sync(connection)
    const [otherLocal] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${other.id}`
    expect(await companyIdOf('contacts', otherLocal.local_id)).toBe(await companyLocalId(connection, awaited.id))
  })

  it("webhooks: a new deal's event ahead of its new contact's, each applied on its own", async () => {
    const PUBLIC = 'https://hooks.syncline.test'
    const hook = webhookHandler(sql, PUBLIC, { process: false })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0 })
    await sync(connection)
    // A rep creates a contact and a deal for it.
    const contact = await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `hook-${uniq()}@example.com` } })
    const deal = await control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Hook ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/contacts/${contact.id}`)
    const deliver = async (eventId: number, subscriptionType: string, objectId: string) => {
      const event = { eventId, subscriptionId: 1, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(), subscriptionType, attemptNumber: 0, objectId: Number(objectId), changeSource: 'CRM_UI' }
      expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([event])))).status).toBe(200)
      expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
    }
    const contactsOfDeal = async () => (await sql`select c.remote_id from deal_contacts dc
                                                   join crm_links d on d.local_id = dc.deal_id and d.connection_id = ${connection}
                                                   join crm_links c on c.local_id = dc.contact_id and c.connection_id = ${connection}
                                                  where d.remote_id = ${deal.id}`).map((r) => r.remote_id)
    await deliver(900_001, 'deal.creation', deal.id)
    expect(await contactsOfDeal()).toEqual([])
    await deliver(900_002, 'contact.creation', contact.id)
    expect(await contactsOfDeal()).toEqual([contact.id])
  })
})
