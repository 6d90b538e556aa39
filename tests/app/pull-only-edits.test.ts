import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { PATCH as patchLead } from '../../app/api/crm/leads/[id]/route'
import { POST as saveSettings } from '../../app/api/crm/settings/route'
import { runSync } from '../../lib/crm/sync-service'
import { recentLeads } from '../../lib/store/dashboard'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

// App edits made while a connection is HubSpot → app only are remembered, not pushed, and go
// to HubSpot at the first sync after the connection is set back to both ways, under its
// conflict strategy. Before, the outbox trigger recorded nothing for a pull-only connection:
// an edit HubSpot never changed afterwards stayed in the app only, for good, with no word.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, companies: 0, deals: 0, owners: 1, seed: 71 })
useAppEnv(sandbox)

interface SandboxContact { id: string; properties: Record<string, string | null> }
const remote = async (id: string) => (await control<SandboxContact>(sandbox, 'GET', `/records/contacts/${id}`)).properties
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual' })
const save = async (connectionId: string, settings: unknown) => {
  const res = await saveSettings(jsonRequest('/api/crm/settings', { connectionId, settings }))
  expect(res.status).toBe(200)
  return res.json()
}
const edit = async (id: string, body: unknown) => {
  const res = await patchLead(jsonRequest(`/api/crm/leads/${id}`, body, { method: 'PATCH' }), { params: Promise.resolve({ id }) })
  expect(res.status).toBe(204)
}
const jobTitle = async (id: string) => (await sql`select job_title from contacts where id = ${id}`)[0].job_title
const outbox = (connection: string) => sql`select local_id, op, changed_fields from crm_outbox where connection_id = ${connection} order by id`
const lead = async (email: string) => (await recentLeads(sql, LOCAL_TENANT_ID, { search: email }))[0]

let connection: string
let contact: { id: string; remoteId: string; email: string }
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { direction: 'pull' })
  const email = `po-${randomUUID().slice(0, 8)}@example.com`
  const created = await control<SandboxContact>(sandbox, 'POST', '/rep/contacts', { properties: { email, firstname: 'Pat', jobtitle: 'Head of Marketing' } })
  await sync(connection)
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${created.id}`
  contact = { id: link.local_id, remoteId: created.id, email }
})

describe('an app edit made while the connection is HubSpot → app only', () => {
  it('is remembered, not pushed, and goes to HubSpot at the first sync once the connection is two-way', async () => {
    await edit(contact.id, { jobTitle: 'App only edit Y' })
    // Held: not "waiting to sync" while nothing will send it.
    expect(await lead(contact.email)).toMatchObject({ jobTitle: 'App only edit Y', pendingPush: false })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0 })
    expect((await remote(contact.remoteId)).jobtitle).toBe('Head of Marketing')
    expect(await jobTitle(contact.id)).toBe('App only edit Y')

    // The answer says what the next sync will send.
    expect(await save(connection, { direction: 'bidirectional' })).toMatchObject({ settings: { direction: 'bidirectional' }, appEditsToSend: 1 })
    expect(await lead(contact.email)).toMatchObject({ pendingPush: true })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, conflicts: 0 })
    expect((await remote(contact.remoteId)).jobtitle).toBe('App only edit Y')
    expect(await jobTitle(contact.id)).toBe('App only edit Y')
    expect(await outbox(connection)).toEqual([])
  })

  it("is dropped once a pull-only sync writes HubSpot's newer change to the same field over it", async () => {
    await edit(contact.id, { jobTitle: 'App only edit Y', firstName: 'Patricia' })
    await new Promise((r) => setTimeout(r, 5))
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remoteId}`, { properties: { jobtitle: 'VP Marketing' } })
    await sync(connection)
    expect(await jobTitle(contact.id)).toBe('VP Marketing')
    // The job title's edit is gone; the first name's, which HubSpot did not touch, is kept.
    expect([...new Set((await outbox(connection)).flatMap((e) => e.changed_fields))]).toEqual(['first_name'])

    expect(await save(connection, { direction: 'bidirectional' })).toMatchObject({ appEditsToSend: 1 })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, conflicts: 0 })
    expect(await remote(contact.remoteId)).toMatchObject({ jobtitle: 'VP Marketing', firstname: 'Patricia' })
    expect(await jobTitle(contact.id)).toBe('VP Marketing')
  })

  it('leaves nothing to send when HubSpot overwrote every field the app edited', async () => {
    await edit(contact.id, { jobTitle: 'App only edit Y' })
    await edit(contact.id, { jobTitle: 'App only edit Z' })
    await new Promise((r) => setTimeout(r, 5))
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remoteId}`, { properties: { jobtitle: 'VP Marketing' } })
    await sync(connection)
    expect(await outbox(connection)).toEqual([])
    expect(await save(connection, { direction: 'bidirectional' })).toMatchObject({ appEditsToSend: 0 })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, conflicts: 0 })
    expect((await remote(contact.remoteId)).jobtitle).toBe('VP Marketing')
  })

  it("forgets the app's change of company once a pull-only sync writes HubSpot's changed company over it", async () => {
    const company = async (name: string) => (await control<SandboxContact>(sandbox, 'POST', '/rep/companies', { properties: { name: `${name} ${randomUUID().slice(0, 6)}` } })).id
    const [a, b, c] = [await company('A'), await company('B'), await company('C')]
    await control(sandbox, 'PUT', `/rep/associations/contacts/${contact.remoteId}/companies/${a}`)
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remoteId}`, { properties: { firstname: 'Pat A' } })
    await sync(connection)
    const localOf = async (remoteId: string) => (await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId} and object_type = 'company'`)[0].local_id
    const companyOf = async () => (await sql`select company_id from contacts where id = ${contact.id}`)[0].company_id
    expect(await companyOf()).toBe(await localOf(a))

    await sql`update contacts set company_id = ${await localOf(b)} where id = ${contact.id}`
    await control(sandbox, 'DELETE', `/rep/associations/contacts/${contact.remoteId}/companies/${a}`)
    await control(sandbox, 'PUT', `/rep/associations/contacts/${contact.remoteId}/companies/${c}`)
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remoteId}`, { properties: { firstname: 'Pat C' } })
    await sync(connection)
    expect(await companyOf()).toBe(await localOf(c))
    expect(await outbox(connection)).toEqual([])

    expect(await save(connection, { direction: 'bidirectional' })).toMatchObject({ appEditsToSend: 0 })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, conflicts: 0 })
    const assoc = await control<{ associations?: Record<string, { results: { id: string }[] }> }>(sandbox, 'GET', `/records/contacts/${contact.remoteId}`)
    expect(assoc.associations?.companies?.results.map((r) => r.id)).toEqual([c])
  })

  it('meets a HubSpot change to the same field made meanwhile as a conflict, under the connection strategy', async () => {
    await save(connection, { conflictStrategy: 'manual_review' })
    await edit(contact.id, { jobTitle: 'App only edit Y' })
    await save(connection, { direction: 'bidirectional' })
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remoteId}`, { properties: { jobtitle: 'VP Marketing' } })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, conflicts: 1 })
    const [conflict] = await sql`select fields, local_snapshot->>'jobTitle' as local, remote_snapshot->>'jobTitle' as remote
                                   from sync_conflicts where connection_id = ${connection} and status = 'open'`
    expect(conflict).toMatchObject({ fields: ['jobTitle'], local: 'App only edit Y', remote: 'VP Marketing' })
    expect((await remote(contact.remoteId)).jobtitle).toBe('VP Marketing')
    expect(await jobTitle(contact.id)).toBe('App only edit Y')
  })

  it('goes to HubSpot when the connection is set to app → HubSpot only, and a HubSpot edit made meanwhile arrives once it is two-way', async () => {
    await edit(contact.id, { jobTitle: 'App only edit Y' })
    expect(await save(connection, { direction: 'push' })).toMatchObject({ settings: { direction: 'push' }, appEditsToSend: 1 })
    await control(sandbox, 'PATCH', `/rep/contacts/${contact.remoteId}`, { properties: { firstname: 'Patricia' } })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, conflicts: 0 })
    expect(await remote(contact.remoteId)).toMatchObject({ jobtitle: 'App only edit Y', firstname: 'Patricia' })
    // Push-only reads nothing from HubSpot: the rep's first name waits for a two-way sync.
    expect((await sql`select first_name from contacts where id = ${contact.id}`)[0].first_name).toBe('Pat')
    expect(await outbox(connection)).toEqual([])

    await save(connection, { direction: 'bidirectional' })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0, conflicts: 0 })
    expect((await sql`select first_name from contacts where id = ${contact.id}`)[0].first_name).toBe('Patricia')
    expect(await jobTitle(contact.id)).toBe('App only edit Y')
  })

  it('a save that keeps the connection pull-only says nothing of edits to send', async () => {
    await edit(contact.id, { jobTitle: 'App only edit Y' })
    expect(await save(connection, { frequencyMinutes: 30 })).not.toHaveProperty('appEditsToSend')
  })
})
