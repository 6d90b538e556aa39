import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { applySettingsChange } from '../../lib/crm/settings'
import { runSync } from '../../lib/crm/sync-service'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { updateSettings } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// Companies turned off (Sync settings): contacts and deals sync without them. A record's
// company is then the app's own: the pull leaves it, and the push holds the app's change to
// it. The CRM's company is remembered and linked once companies are turned on, and the
// app's held changes go then.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, companies: 1, deals: 0, owners: 1, seed: 97 })

const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual' })
const uniq = () => randomUUID().slice(0, 8)
interface SandboxRecord { associations?: Record<string, { results: { id: string }[] }> }
/** The companies a record is associated with in HubSpot (each once: v3 lists an association per type, primary and unlabelled). */
const remoteCompanies = async (type: string, id: string) =>
  [...new Set(((await control<SandboxRecord>(sandbox, 'GET', `/records/${type}/${id}`)).associations?.companies?.results ?? []).map((r) => r.id))]

describe('companies off', () => {
  it("contacts and deals sync without companies, the app's company is its own, and turning companies on links the CRM's", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { entities: { company: false } })
    const company = await control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Acme ${uniq()}`, domain: `acme-${uniq()}.test` } })
    const [kept, given] = [
      await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `kept-${uniq()}@example.com` } }),
      await control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `given-${uniq()}@example.com` } }),
    ]
    const deal = await control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
    for (const c of [kept, given]) await control(sandbox, 'PUT', `/rep/associations/contacts/${c.id}/companies/${company.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/companies/${company.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/contacts/${kept.id}`)

    const first = await sync(connection)
    expect(first.objects.companies).toBeUndefined()
    expect(first.objects.contacts).toMatchObject({ failed: 0 })
    expect(await sql`select 1 from companies where tenant_id = ${tenant}`).toHaveLength(0)
    const localOf = async (remoteId: string) => (await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`)[0].local_id as string
    const companyOf = async (table: 'contacts' | 'deals', id: string) => (await sql.unsafe(`select company_id from ${table} where id = $1`, [id]))[0].company_id
    const [keptLocal, givenLocal, dealLocal] = [await localOf(kept.id), await localOf(given.id), await localOf(deal.id)]
    expect(await companyOf('contacts', keptLocal)).toBeNull()
    // Deals still carry their contacts.
    expect((await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`).map((r) => r.contact_id)).toEqual([keptLocal])

    // The app gives a contact a company of its own: a rep's edit to the contact does not take it away, and nothing reaches HubSpot.
    const [own] = await sql`insert into companies ${sql({ tenant_id: tenant, name: 'Our own', domain: `own-${uniq()}.test` })} returning id`
    await sql`update contacts set company_id = ${own.id} where id = ${givenLocal}`
    await control(sandbox, 'PATCH', `/rep/contacts/${given.id}`, { properties: { jobtitle: 'Edited by the rep' } })
    await sync(connection)
    expect(await companyOf('contacts', givenLocal)).toBe(own.id)
    expect((await sql`select job_title from contacts where id = ${givenLocal}`)[0].job_title).toBe('Edited by the rep')
    expect(await remoteCompanies('contacts', given.id)).toEqual([company.id])
    for (const o of Object.values((await sync(connection)).objects)) expect(o).toMatchObject({ created: 0, updated: 0, failed: 0 })

    // A lead the app adds with that company: it goes to HubSpot, its company does not yet.
    const [added] = await sql`insert into contacts ${sql({ tenant_id: tenant, email: `added-${uniq()}@example.com`, company_id: own.id })} returning id`
    await sync(connection)
    const addedRemote = (await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${added.id}`)[0].remote_id
    expect(await remoteCompanies('contacts', addedRemote)).toEqual([])

    // Companies on: the company arrives, and what was waiting for it is linked; the app's
    // own company goes to HubSpot, and the contacts the app gave it are associated with it.
    await updateSettings(sql, tenant, connection, (stored) => applySettingsChange(stored, { entities: { company: true } }))
    const on = await sync(connection)
    expect(on.objects.companies).toMatchObject({ failed: 0 })
    const companyLocal = await localOf(company.id)
    expect(await companyOf('contacts', keptLocal)).toBe(companyLocal)
    expect(await companyOf('deals', dealLocal)).toBe(companyLocal)
    expect(await companyOf('contacts', givenLocal)).toBe(own.id)
    const ownRemote = (await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${own.id}`)[0].remote_id
    expect(await remoteCompanies('contacts', given.id)).toContain(ownRemote)
    expect(await remoteCompanies('contacts', addedRemote)).toEqual([ownRemote])
    await sync(connection) // the echo
    expect(await companyOf('contacts', givenLocal)).toBe(own.id)
    expect(await companyOf('contacts', added.id)).toBe(own.id)
    for (const o of Object.values((await sync(connection)).objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
  })

  it("companies turned back on: records whose CRM company moved while off take it, the app's own changes go to the CRM", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const newCompany = () => control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Co ${uniq()}`, domain: `co-${uniq()}.test` } })
    const newContact = (name: string) => control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `${name}-${uniq()}@example.com` } })
    const [a, b] = [await newCompany(), await newCompany()]
    const [moved, toNew, ownChange, untouched] = [await newContact('moved'), await newContact('to-new'), await newContact('own'), await newContact('untouched')]
    const deal = await control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
    for (const c of [moved, toNew, ownChange, untouched]) await control(sandbox, 'PUT', `/rep/associations/contacts/${c.id}/companies/${a.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/companies/${a.id}`)
    await sync(connection)
    const localOf = async (remoteId: string) => (await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`)[0].local_id as string
    const companyOf = async (table: 'contacts' | 'deals', id: string) => (await sql.unsafe(`select company_id from ${table} where id = $1`, [id]))[0].company_id
    const [aLocal, bLocal] = [await localOf(a.id), await localOf(b.id)]
    const [movedLocal, toNewLocal, ownLocal, untouchedLocal, dealLocal] =
      [await localOf(moved.id), await localOf(toNew.id), await localOf(ownChange.id), await localOf(untouched.id), await localOf(deal.id)]
    expect(await companyOf('contacts', movedLocal)).toBe(aLocal)

    // Off: a rep moves one contact to a company the app has, another to a company created
    // meanwhile, and takes the deal's company off; the app moves a contact of its own.
    await updateSettings(sql, tenant, connection, (stored) => applySettingsChange(stored, { entities: { company: false } }))
    const c = await newCompany()
    // An association change alone does not move a record's last-modified time, so the rep
    // edits each record too: the incremental search finds it by that edit.
    const move = async (type: 'contacts' | 'deals', id: string, to: string | null) => {
      await control(sandbox, 'DELETE', `/rep/associations/${type}/${id}/companies/${a.id}`)
      if (to) await control(sandbox, 'PUT', `/rep/associations/${type}/${id}/companies/${to}`)
      await control(sandbox, 'PATCH', `/rep/${type}/${id}`, { properties: type === 'deals' ? { description: 'moved' } : { jobtitle: 'Moved' } })
    }
    await move('contacts', moved.id, b.id)
    await move('contacts', toNew.id, c.id)
    await move('deals', deal.id, null)
    await sql`update contacts set company_id = ${bLocal} where id = ${ownLocal}`
    const off = await sync(connection)
    expect(off.objects.contacts).toMatchObject({ updated: 2, failed: 0 })
    expect(off.objects.deals).toMatchObject({ updated: 1, failed: 0 })
    // The app's companies stand while off.
    for (const id of [movedLocal, toNewLocal, untouchedLocal]) expect(await companyOf('contacts', id)).toBe(aLocal)
    expect(await companyOf('deals', dealLocal)).toBe(aLocal)
    expect(await remoteCompanies('contacts', ownChange.id)).toEqual([a.id])

    // On: the CRM's moves land, the new company arrives and is linked, and the app's own move goes out.
    await updateSettings(sql, tenant, connection, (stored) => applySettingsChange(stored, { entities: { company: true } }))
    // The first to take the lease settles them, here a webhook drain with nothing to apply:
    // the company created meanwhile is not in the app yet, so that contact waits for it.
    await processPendingWebhooks(sql, connection)
    expect(await companyOf('contacts', movedLocal)).toBe(bLocal)
    expect(await companyOf('contacts', toNewLocal)).toBeNull()
    const on = await sync(connection)
    expect(on.objects.companies).toMatchObject({ created: 1, failed: 0 })
    expect(await companyOf('contacts', movedLocal)).toBe(bLocal)
    expect(await companyOf('contacts', toNewLocal)).toBe(await localOf(c.id))
    expect(await companyOf('deals', dealLocal)).toBeNull()
    expect(await companyOf('contacts', untouchedLocal)).toBe(aLocal)
    expect(await companyOf('contacts', ownLocal)).toBe(bLocal)
    // B becomes the primary company; A stays associated, unlabelled (one primary per record, as in HubSpot).
    expect(await remoteCompanies('contacts', ownChange.id)).toContain(b.id)
    expect(await remoteCompanies('contacts', moved.id)).toEqual([b.id])
    expect(await remoteCompanies('deals', deal.id)).toEqual([])
    await sync(connection) // the echo
    for (const o of Object.values((await sync(connection)).objects)) expect(o).toMatchObject({ created: 0, updated: 0, pushed: 0, failed: 0 })
    expect(await companyOf('contacts', movedLocal)).toBe(bLocal)
    expect(await companyOf('contacts', ownLocal)).toBe(bLocal)
  })

  it("a held company change is not a new change that cuts a failed push's retry delay short", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { entities: { company: false } })
    const [contact] = await sql`insert into contacts ${sql({ tenant_id: tenant, email: `held-${uniq()}@example.com` })} returning id`
    await sync(connection)
    const [own] = await sql`insert into companies ${sql({ tenant_id: tenant, name: 'Ours', domain: `ours-${uniq()}.test` })} returning id`
    await sql`update contacts set company_id = ${own.id} where id = ${contact.id}`
    await sql`update contacts set lifecycle_stage = 'not_a_stage' where id = ${contact.id}`
    expect((await sync(connection)).objects.contacts).toMatchObject({ failed: 1 })
    const failed = async () => (await sql`select attempts from crm_outbox where local_id = ${contact.id} and last_error is not null`).map((r) => r.attempts)
    expect(await failed()).toEqual([1])
    // It waits out its delay: the held company entry beside it does not bring it back.
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    expect(await failed()).toEqual([1])
  })
})
