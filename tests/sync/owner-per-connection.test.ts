import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// Owners rows are per connection (a HubSpot portal each), and a host app may set a record's
// owner_id to any of its tenant's. Pushing to a connection, the owner is read as that
// connection knows it: the row's own owner if it is this connection's, else this
// connection's owner with the same email (the same person, another id), else none: the
// record goes without its owner, and the owner part stays queued with the reason.

const sql = testSql()
// Two portals, A and B, of one tenant's two connections.
const portalA = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 91 })
const portalB = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 92 })

const uniq = () => randomUUID().slice(0, 8)
// The sandboxes number new owners alike: A's run ahead, so an owner added to A has an id B
// does not know (the walkthrough's 41669374).
for (let i = 0; i < 5; i++) await control(portalA, 'POST', '/owners', { email: `earlier-${i}@example.com` })
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual' })
const addOwner = (sandbox: HubSpotSandbox, email: string) => control<{ id: string }>(sandbox, 'POST', '/owners', { email, firstName: email.split('@')[0] })
const ownersOf = async (sandbox: HubSpotSandbox) => {
  const res = await fetch(`${sandbox.url}/crm/v3/owners?limit=100`, { headers: { authorization: `Bearer ${sandbox.token}` } })
  return ((await res.json()) as { results: Array<{ id: string; email: string }> }).results
}
const inHubSpot = async (sandbox: HubSpotSandbox, id: string) => {
  const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts/${id}?properties=hubspot_owner_id,firstname`, { headers: { authorization: `Bearer ${sandbox.token}` } })
  return ((await res.json()) as { properties: { hubspot_owner_id?: string | null; firstname?: string | null } }).properties
}
const ownerRow = async (connection: string, remoteId: string) =>
  (await sql`select id from owners where connection_id = ${connection} and remote_id = ${remoteId}`)[0].id as string

/** Tenant C: c2 on portal A, C on portal B; a contact of B (owned by B's first owner) pulled through C; both connections' owners pulled. */
async function setup() {
  const jack = `jack-${uniq()}@example.com`
  const sean = `sean-${uniq()}@example.com`
  const jackA = await addOwner(portalA, jack)
  const seanA = await addOwner(portalA, sean)
  const seanB = await addOwner(portalB, sean)
  const [firstB] = await ownersOf(portalB)
  // The bug needs an id B does not know: jack is A's newest owner, above any of B's.
  expect((await ownersOf(portalB)).map((o) => o.id)).not.toContain(jackA.id)

  const tenant = await createTenant(sql)
  const c2 = await sandboxConnection(sql, portalA, tenant)
  const C = await sandboxConnection(sql, portalB, tenant)
  const contact = await control<{ id: string }>(portalB, 'POST', '/rep/contacts', {
    properties: { email: `lead-${uniq()}@example.com`, firstname: 'Lead', hubspot_owner_id: firstB.id },
  })
  await sync(C)
  await sync(c2)
  const [link] = await sql`select local_id from crm_links where connection_id = ${C} and remote_id = ${contact.id}`
  return { tenant, c2, C, contact: contact.id, localId: link.local_id as string, jack, sean, jackA, seanA, seanB, firstB }
}

describe('the owner pushed to a connection is one of that connection', () => {
  it("another connection's owner, who is not in this portal, is left out: the rest goes, the owner waits with the reason, and goes once the person is in the portal", async () => {
    const s = await setup()
    await sql`update contacts set owner_id = ${await ownerRow(s.c2, s.jackA.id)}, first_name = 'Renamed' where id = ${s.localId}`
    const run = await sync(s.C)

    const after = await inHubSpot(portalB, s.contact)
    // Not A's id for jack (41669374 in the walkthrough), and not cleared either.
    expect(after.hubspot_owner_id).toBe(s.firstB.id)
    expect(after.firstname).toBe('Renamed')
    expect(run.status).toBe('partial')
    const waiting = await sql`select op, changed_fields, last_error from crm_outbox where connection_id = ${s.C} and local_id = ${s.localId}`
    expect(waiting).toEqual([{ op: 'update', changed_fields: ['owner_id'], last_error: expect.stringContaining(`owner ${s.jack} is not an owner`) }])
    const [runRow] = await sql`select errors from sync_runs where connection_id = ${s.C} and object_type = 'contact' order by id desc limit 1`
    expect(runRow.errors).toEqual([expect.objectContaining({ localId: s.localId, message: expect.stringContaining(s.jack) })])

    // An admin adds jack to portal B; once its owners are pulled, the waiting owner goes as B's jack.
    const jackB = await addOwner(portalB, s.jack)
    await sql`update crm_outbox set next_attempt_at = now() where connection_id = ${s.C}`
    expect((await sync(s.C)).status).toBe('success')
    expect((await inHubSpot(portalB, s.contact)).hubspot_owner_id).toBe(jackB.id)
    expect(await sql`select 1 from crm_outbox where connection_id = ${s.C} and local_id = ${s.localId}`).toEqual([])
  })

  it("another connection's owner row of a person this portal has is sent as this portal's owner (by email)", async () => {
    const s = await setup()
    await sql`update contacts set owner_id = ${await ownerRow(s.c2, s.seanA.id)} where id = ${s.localId}`
    expect((await sync(s.C)).status, JSON.stringify(await sql`select errors from sync_runs where connection_id = ${s.C}`)).toBe('success')
    expect((await inHubSpot(portalB, s.contact)).hubspot_owner_id).toBe(s.seanB.id)
    expect(await sql`select 1 from crm_outbox where connection_id = ${s.C} and local_id = ${s.localId}`).toEqual([])
    // The next pull reads B's owner as the same as the app's: nothing changes back.
    await sync(s.C)
    const [row] = await sql`select owner_id, owner_email from contacts where id = ${s.localId}`
    expect(row.owner_id).toBe(await ownerRow(s.c2, s.seanA.id))
    // And the leads list shows the new owner's email, not the previous one's (B's first owner).
    expect(row.owner_email).toBe(s.sean)
  })

  it("an owner row of another tenant (a writer that bypasses row-level security) is never sent, even one of this very portal", async () => {
    const s = await setup()
    const other = await createTenant(sql)
    const D = await sandboxConnection(sql, portalB, other)
    await runSync(sql, { connectionId: D, trigger: 'manual', objects: ['owner'] })
    await sql`update contacts set owner_id = ${await ownerRow(D, s.seanB.id)} where id = ${s.localId}`
    const run = await sync(s.C)
    expect((await inHubSpot(portalB, s.contact)).hubspot_owner_id).toBe(s.firstB.id)
    expect(run.status, JSON.stringify(await sql`select errors from sync_runs where connection_id = ${s.C}`)).toBe('partial')
    const [waiting] = await sql`select last_error from crm_outbox where connection_id = ${s.C} and local_id = ${s.localId}`
    expect(waiting.last_error).toMatch(/^owner [0-9a-f-]{36} is not an owner/)
  })

  it("a new contact whose owner this portal does not have is created without it", async () => {
    const s = await setup()
    const email = `new-${uniq()}@example.com`
    const [row] = await sql`insert into contacts (tenant_id, source, email, first_name, owner_id)
                            values (${s.tenant}, 'manual', ${email}, 'New', ${await ownerRow(s.c2, s.jackA.id)}) returning id`
    const run = await sync(s.C)
    expect(run.status, JSON.stringify(await sql`select errors, error from sync_runs where connection_id = ${s.C}`)).toBe('partial')
    const [link] = await sql`select remote_id from crm_links where connection_id = ${s.C} and local_id = ${row.id}`
    expect(link).toBeDefined()
    const created = await inHubSpot(portalB, link.remote_id)
    expect(created.firstname).toBe('New')
    expect(created.hubspot_owner_id ?? '').toBe('')
    const [waiting] = await sql`select op, changed_fields from crm_outbox where connection_id = ${s.C} and local_id = ${row.id}`
    expect(waiting).toEqual({ op: 'update', changed_fields: ['owner_id'] })
  })
})
