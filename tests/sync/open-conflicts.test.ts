import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ConnectionSettingsInput } from '../../lib/crm/settings'
import { runSync } from '../../lib/crm/sync-service'
import type { Strategy } from '../../lib/crm/conflicts'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// A field waiting in an open conflict is the person's to decide: a sync under whatever
// strategy the connection has since been given neither overwrites it nor sends it.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, companies: 2, deals: 1, owners: 1, seed: 31 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual', objects: ['company'] })
const localOf = async (id: string) => (await sql`select city, description, industry from companies where id = ${id}`)[0]
const remoteOf = async (id: string) => {
  const p = (await control<SandboxRecord>(sandbox, 'GET', `/records/companies/${id}`)).properties
  return { city: p.city, description: p.description, industry: p.industry }
}
const openConflicts = (connection: string) =>
  sql`select id, fields, local_snapshot, remote_snapshot from sync_conflicts where connection_id = ${connection} and status = 'open'`

/** A company whose city and description both sides changed, held in an open conflict under manual_review. */
async function heldPair(settings: ConnectionSettingsInput = {}) {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { ...settings, conflicts: { strategy: 'manual_review' } })
  const created = await control<SandboxRecord>(sandbox, 'POST', '/rep/companies', { properties: { name: `Held ${randomUUID().slice(0, 6)}`, city: 'Base city', description: 'base notes' } })
  await sync(connection)
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${created.id} and object_type = 'company'`
  const localId = link.local_id as string
  await sql`update companies set city = 'App city', description = 'app notes' where id = ${localId}`
  await new Promise((r) => setTimeout(r, 5)) // the rep's edit is strictly later
  await control(sandbox, 'PATCH', `/rep/companies/${created.id}`, { properties: { city: 'CRM city', description: 'crm notes' } })
  const opened = await sync(connection)
  return { tenant, connection, localId, remoteId: created.id, opened }
}

describe('a field held in an open conflict', () => {
  it.each<[string, Strategy, ConnectionSettingsInput['conflicts']]>([
    ['HubSpot wins', 'source_priority', { strategy: 'source_priority', sourcePriority: ['crm', 'app'] }],
    ['the app wins', 'source_priority', { strategy: 'source_priority', sourcePriority: ['app', 'crm'] }],
    ['the newer edit wins', 'timestamp_based', { strategy: 'timestamp_based' }],
  ])('stays held when the strategy becomes "%s" and a rep edits another field of the record', async (_, strategy, conflicts) => {
    const r = await heldPair()
    expect(await openConflicts(r.connection)).toHaveLength(1)
    await sql`update crm_connections set settings = jsonb_set(settings, '{conflicts}', ${sql.json(conflicts as never)}::jsonb) where id = ${r.connection}`
    expect(strategy).toBe(conflicts!.strategy)
    await new Promise((res) => setTimeout(res, 5))
    await control(sandbox, 'PATCH', `/rep/companies/${r.remoteId}`, { properties: { industry: 'COMPUTER_SOFTWARE' } })

    const after = await sync(r.connection)
    expect(after.objects.companies).toMatchObject({ failed: 0, updated: 1 })
    // The other field syncs; the held ones stay as each side has them.
    expect(await localOf(r.localId)).toEqual({ city: 'App city', description: 'app notes', industry: 'COMPUTER_SOFTWARE' })
    expect(await remoteOf(r.remoteId)).toEqual({ city: 'CRM city', description: 'crm notes', industry: 'COMPUTER_SOFTWARE' })
    const [open] = await openConflicts(r.connection)
    expect([...open.fields].sort()).toEqual(['city', 'description'])
    expect(open.local_snapshot).toMatchObject({ city: 'App city', description: 'app notes' })
    expect(open.remote_snapshot).toMatchObject({ city: 'CRM city', description: 'crm notes' })

    // And the next sync, with nothing new, still leaves them alone.
    await sync(r.connection)
    expect(await localOf(r.localId)).toMatchObject({ city: 'App city', description: 'app notes' })
    expect(await remoteOf(r.remoteId)).toMatchObject({ city: 'CRM city', description: 'crm notes' })
  })
})

describe("a sync run's counts", () => {
  it('a record whose only news is held in a conflict is counted unchanged, with the conflict, not updated', async () => {
    const r = await heldPair()
    expect(r.opened.objects.companies).toMatchObject({ fetched: 1, updated: 0, unchanged: 1, conflicts: 1 })
    const [run] = await sql`select updated, unchanged, conflicts from sync_runs where connection_id = ${r.connection} and object_type = 'company'
                             order by started_at desc limit 1`
    expect(run).toEqual({ updated: 0, unchanged: 1, conflicts: 1 })
    // The rep changes the held field again: still nothing in the app changes.
    await control(sandbox, 'PATCH', `/rep/companies/${r.remoteId}`, { properties: { city: 'CRM city, again' } })
    expect((await sync(r.connection)).objects.companies).toMatchObject({ updated: 0, unchanged: 1, conflicts: 1 })
    expect((await openConflicts(r.connection))[0].remote_snapshot).toMatchObject({ city: 'CRM city, again' })
  })
})

describe('a record held in a conflict', () => {
  const updatedAt = async (id: string) => ((await sql`select updated_at from companies where id = ${id}`)[0].updated_at as Date).getTime()

  it("is not rewritten by the sync that opens or refreshes its conflict: its updated_at stays the app's edit", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { conflicts: { strategy: 'manual_review' } })
    const created = await control<SandboxRecord>(sandbox, 'POST', '/rep/companies', { properties: { name: `Still ${randomUUID().slice(0, 6)}`, city: 'Base city' } })
    await sync(connection)
    const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${created.id} and object_type = 'company'`
    const localId = link.local_id as string
    await sql`update companies set city = 'App city' where id = ${localId}`
    const appEdit = await updatedAt(localId)
    await new Promise((r) => setTimeout(r, 20))
    await control(sandbox, 'PATCH', `/rep/companies/${created.id}`, { properties: { city: 'CRM city' } })
    expect((await sync(connection)).objects.companies).toMatchObject({ updated: 0, conflicts: 1 })
    expect(await updatedAt(localId)).toBe(appEdit)
    await control(sandbox, 'PATCH', `/rep/companies/${created.id}`, { properties: { city: 'CRM city, again' } })
    await sync(connection)
    expect(await updatedAt(localId)).toBe(appEdit)
    // The conflict still took the CRM's new value, and remembers when the app made its edit.
    const [open] = await sql`select remote_snapshot, local_changed_at from sync_conflicts where connection_id = ${connection} and status = 'open'`
    expect(open.remote_snapshot).toMatchObject({ city: 'CRM city, again' })
    expect((open.local_changed_at as Date).getTime()).toBe(appEdit)
  })
})

describe("the app's side of a waiting conflict", () => {
  it('takes the time the app made a newer edit, not the time of the push that saw it', async () => {
    const r = await heldPair()
    await sql`update companies set city = 'App city, again' where id = ${r.localId}`
    const [row] = await sql`select updated_at from companies where id = ${r.localId}`
    await new Promise((res) => setTimeout(res, 30))
    await sync(r.connection)
    const [open] = await sql`select local_snapshot, local_changed_at from sync_conflicts where connection_id = ${r.connection} and status = 'open'`
    expect(open.local_snapshot).toMatchObject({ city: 'App city, again' })
    expect((open.local_changed_at as Date).getTime()).toBe((row.updated_at as Date).getTime())
  })
})

describe('a conflict whose record is gone', () => {
  // Straight from the table, with no dashboard render or Apply in between: the sync (or the delete) itself closed it.
  const conflictOf = async (localId: string) => (await sql`select status, resolution from sync_conflicts where local_id = ${localId} order by id desc limit 1`)[0]

  it('is dismissed by the sync that archives it after a rep deleted the record in HubSpot', async () => {
    const r = await heldPair()
    await control(sandbox, 'DELETE', `/rep/companies/${r.remoteId}`)
    const after = await sync(r.connection)
    expect(after.objects.companies).toMatchObject({ archived: 1 })
    expect(await conflictOf(r.localId)).toEqual({ status: 'dismissed', resolution: { dismissed: 'remote_archived' } })
  })

  it("is dismissed by a webhook's deletion", async () => {
    const r = await heldPair()
    await control(sandbox, 'DELETE', `/rep/companies/${r.remoteId}`)
    const PUBLIC = 'https://hooks.syncline.test'
    const hook = webhookHandler(sql, PUBLIC, { process: false })
    const events = [{ eventId: Date.now(), portalId: sandbox.portalId, occurredAt: Date.now(), subscriptionType: 'company.deletion', objectId: Number(r.remoteId) }]
    expect((await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify(events)))).status).toBe(200)
    expect(await processPendingWebhooks(sql, r.connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
    expect(await conflictOf(r.localId)).toEqual({ status: 'dismissed', resolution: { dismissed: 'remote_archived' } })
  })

  it('is dismissed by the sync that takes its deletion or archiving in the app to HubSpot', async () => {
    const deleted = await heldPair()
    await sql`delete from companies where id = ${deleted.localId}`
    expect((await sync(deleted.connection)).objects.companies).toMatchObject({ pushed: 1, failed: 0 })
    expect(await conflictOf(deleted.localId)).toEqual({ status: 'dismissed', resolution: { dismissed: 'local_deleted' } })

    const archived = await heldPair()
    await sql`update companies set archived_at = now() where id = ${archived.localId}`
    expect((await sync(archived.connection)).objects.companies).toMatchObject({ pushed: 1, failed: 0 })
    expect(await conflictOf(archived.localId)).toEqual({ status: 'dismissed', resolution: { dismissed: 'local_archived' } })
  })

  it('an ordinary app edit of the record, synced, leaves its conflict open', async () => {
    const r = await heldPair()
    await sql`update companies set industry = 'RETAIL' where id = ${r.localId}`
    expect((await sync(r.connection)).objects.companies).toMatchObject({ pushed: 1, failed: 0 })
    expect((await conflictOf(r.localId)).status).toBe('open')
  })
})
