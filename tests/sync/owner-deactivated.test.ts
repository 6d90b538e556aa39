import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { refreshCrm } from '../../lib/crm/refresh'
import { runSync } from '../../lib/crm/sync-service'
import { hasLiveOwner } from '../../lib/store/owners'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// An admin deactivates a user in HubSpot: its owner is no longer in GET /crm/v3/owners (which
// lists active owners unless asked for archived ones), and its records stay assigned to it
// ("the user will remain assigned to their records"). The app keeps the records' owner and
// email as HubSpot does; the owners row, which no longer listed left live for good, is marked
// archived, and live again once the user is reactivated.

const sql = testSql()
const portal = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 94 })
const uniq = () => randomUUID().slice(0, 8)
const refresh = (tenantId: string, connectionId: string) => refreshCrm(sql, tenantId, { connectionId }, new AbortController().signal)

describe('an owner deactivated in HubSpot', () => {
  it('keeps its records (owner and email, as HubSpot does); its owners row is archived, and live again once reactivated', async () => {
    const email = `leaving-${uniq()}@example.com`
    const owner = await control<{ id: string }>(portal, 'POST', '/owners', { email, firstName: 'Leaving' })
    const contact = await control<{ id: string }>(portal, 'POST', '/rep/contacts', {
      properties: { email: `lead-${uniq()}@example.com`, firstname: 'Lead', hubspot_owner_id: owner.id },
    })
    const tenant = await createTenant(sql)
    const A = await sandboxConnection(sql, portal, tenant)
    await refresh(tenant, A)
    const [row] = await sql`select c.id, c.owner_id, c.owner_email, c.updated_at from contacts c join crm_links l on l.local_id = c.id
                             where l.connection_id = ${A} and l.remote_id = ${contact.id}`
    expect(row.owner_email).toBe(email)
    const ownerRow = async () => (await sql`select id, archived_at from owners where connection_id = ${A} and remote_id = ${owner.id}`)[0]
    expect(row.owner_id).toBe((await ownerRow()).id)

    await control(portal, 'PATCH', `/owners/${owner.id}`, { archived: true })
    // A dry run counts what the run will do.
    const dry = await runSync(sql, { connectionId: A, trigger: 'manual', dryRun: true, objects: ['owner'] })
    expect(dry.objects.owners).toMatchObject({ archived: 1 })
    const [run] = await refresh(tenant, A)
    expect(run.objects.owners).toMatchObject({ archived: 1 })
    const archived = await ownerRow()
    expect(archived.archived_at).not.toBeNull()
    expect(await hasLiveOwner(sql, A, owner.id)).toBe(false)
    // The record as it was: HubSpot still has it assigned to the deactivated owner.
    expect(await sql`select id, owner_id, owner_email, updated_at from contacts where id = ${row.id}`).toEqual([row])
    // Once archived, it stays so, counted once.
    const [again] = await refresh(tenant, A)
    expect(again.objects.owners).toMatchObject({ archived: 0, updated: 0 })
    expect((await ownerRow()).archived_at).toEqual(archived.archived_at)

    await control(portal, 'PATCH', `/owners/${owner.id}`, { archived: false })
    await refresh(tenant, A)
    expect((await ownerRow()).archived_at).toBeNull()
    expect(await hasLiveOwner(sql, A, owner.id)).toBe(true)
  })

  it('deactivated before the connection is made: its records still get it (archived here) and its email, from the archived=true listing', async () => {
    const email = `left-${uniq()}@example.com`
    const owner = await control<{ id: string }>(portal, 'POST', '/owners', { email, firstName: 'Left' })
    const contact = await control<{ id: string }>(portal, 'POST', '/rep/contacts', {
      properties: { email: `kept-${uniq()}@example.com`, firstname: 'Kept', hubspot_owner_id: owner.id },
    })
    await control(portal, 'PATCH', `/owners/${owner.id}`, { archived: true })
    const tenant = await createTenant(sql)
    const A = await sandboxConnection(sql, portal, tenant)
    const dry = await runSync(sql, { connectionId: A, trigger: 'manual', dryRun: true, objects: ['owner'] })
    const [run] = await refresh(tenant, A)
    // Listed, created archived: counted as created, by the dry run too, never as archived.
    expect(run.objects.owners).toMatchObject({ status: 'success', archived: 0 })
    expect(dry.objects.owners).toMatchObject({ fetched: run.objects.owners!.fetched, created: run.objects.owners!.created, archived: 0 })
    const [ownerRow] = await sql`select id, email, archived_at from owners where connection_id = ${A} and remote_id = ${owner.id}`
    expect(ownerRow).toMatchObject({ email })
    expect(ownerRow.archived_at).not.toBeNull()
    expect(await hasLiveOwner(sql, A, owner.id)).toBe(false)
    const [row] = await sql`select c.owner_id, c.owner_email from contacts c join crm_links l on l.local_id = c.id
                             where l.connection_id = ${A} and l.remote_id = ${contact.id}`
    expect(row).toEqual({ owner_id: ownerRow.id, owner_email: email })
    // Nothing moves on the next run: both listings read, nothing written.
    const [again] = await refresh(tenant, A)
    expect(again.objects.owners).toMatchObject({ created: 0, updated: 0, archived: 0 })
  })

  it('a connection that pulled the records before: the owner arrives with the next run and links them', async () => {
    const email = `gone-${uniq()}@example.com`
    const owner = await control<{ id: string }>(portal, 'POST', '/owners', { email, firstName: 'Gone' })
    await control(portal, 'PATCH', `/owners/${owner.id}`, { archived: true })
    const tenant = await createTenant(sql)
    const A = await sandboxConnection(sql, portal, tenant)
    await refresh(tenant, A)
    // Read while the owners row was not there (as a sync before this change left them).
    await sql`delete from owners where connection_id = ${A} and remote_id = ${owner.id}`
    const contact = await control<{ id: string }>(portal, 'POST', '/rep/contacts', {
      properties: { email: `later-${uniq()}@example.com`, firstname: 'Later', hubspot_owner_id: owner.id },
    })
    await runSync(sql, { connectionId: A, trigger: 'manual', objects: ['contact'] })
    const contactRow = async () => (await sql`select c.owner_id, c.owner_email from contacts c join crm_links l on l.local_id = c.id
                                                where l.connection_id = ${A} and l.remote_id = ${contact.id}`)[0]
    expect(await contactRow()).toEqual({ owner_id: null, owner_email: null })
    const run = await runSync(sql, { connectionId: A, trigger: 'manual', objects: ['owner'] })
    expect(run.objects.owners).toMatchObject({ created: 1, archived: 0 })
    const [ownerRow] = await sql`select id, archived_at from owners where connection_id = ${A} and remote_id = ${owner.id}`
    expect(ownerRow.archived_at).not.toBeNull()
    expect(await contactRow()).toEqual({ owner_id: ownerRow.id, owner_email: email })
  })
})
