import { beforeEach, describe, expect, it } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { POST as importLeads } from '../../app/api/crm/import/route'
import { POST as sync } from '../../app/api/crm/sync/route'
import { upsertConflicts } from '../../lib/store/conflicts'
import { tenantFieldOptions } from '../../lib/store/field-options'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 12, companies: 2, deals: 2, owners: 2, seed: 21 })
useAppEnv(sandbox)

let connection: string
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { direction: 'pull' })
})

describe('POST /api/crm/sync (Refresh CRM)', () => {
  it('syncs the workspace and answers with the run summary; a rep edit arrives on the next refresh', async () => {
    const first = await (await sync(jsonRequest('/api/crm/sync', {}))).json()
    expect(first.results).toHaveLength(1)
    expect(first.results[0]).toMatchObject({ status: 'success', connectionId: connection })
    expect(first.results[0].objects.contacts.created).toBe(12)
    const [{ id }] = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=1')).results
    await control(sandbox, 'PATCH', `/rep/contacts/${id}`, { properties: { jobtitle: 'Chief Refresher' } })
    const second = await (await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['contact'] }))).json()
    expect(second.results[0].objects).toEqual({ contacts: expect.objectContaining({ updated: 1 }) })
    const [row] = await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id where l.connection_id = ${connection} and l.remote_id = ${id}`
    expect(row.job_title).toBe('Chief Refresher')
  })

  it('takes object types by the plural names its answer (and the CLI) use, and by the singular', async () => {
    await sync(jsonRequest('/api/crm/sync', {}))
    // Was 400 "expected one of owner|company|contact|deal".
    const plural = await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['deals', 'Contacts'] }))
    expect(plural.status).toBe(200)
    expect(Object.keys((await plural.json()).results[0].objects).sort()).toEqual(['contacts', 'deals'])
    const both = await (await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['deal', 'deals'] }))).json()
    expect(Object.keys(both.results[0].objects)).toEqual(['deals'])
  })

  it("reads the portal's labels again, though the sync before read them today: a stage renamed in HubSpot shows after a refresh", async () => {
    await (await sync(jsonRequest('/api/crm/sync', {}))).json()
    const label = async () => (await tenantFieldOptions(sql, LOCAL_TENANT_ID, 'contact')).lifecycleStage?.find(([v]) => v === 'customer')?.[1]
    expect(await label()).toBe('Customer')
    const stage = await (await fetch(`${sandbox.url}/crm/v3/properties/contacts/lifecyclestage`, { headers: { Authorization: `Bearer ${sandbox.token}` } })).json()
    await fetch(`${sandbox.url}/crm/v3/properties/contacts/lifecyclestage`, {
      method: 'PATCH', headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ options: stage.options.map((o: { value: string }) => (o.value === 'customer' ? { ...o, label: 'Client' } : o)) }),
    })
    await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['contact'] }))
    expect(await label()).toBe('Client')
  })

  it('refuses to sync a connection that needs reconnecting', async () => {
    await sql`update crm_connections set status = 'needs_reauth' where id = ${connection}`
    const res = await sync(jsonRequest('/api/crm/sync', { connectionId: connection }))
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toMatch(/Reconnect/)
  })
})

describe('POST /api/crm/import', () => {
  it('inserts manual leads (normalized, duplicates skipped) and the outbox captures them', async () => {
    // A pull-only connection holds what it queues; this one pushes.
    await sql`update crm_connections set settings = settings || '{"direction":"bidirectional"}' where id = ${connection}`
    const res = await importLeads(jsonRequest('/api/crm/import', [
      { email: ' Grace.Hopper@Example.com ', firstName: 'grace', phone: '(415) 555-2671' },
      { email: 'grace.hopper@example.com' },
      { phone: '+44 20 7946 0958', lastName: 'Lovelace' },
    ]))
    expect(res.status).toBe(201)
    // The second is the first again (the same email): a duplicate within the import, not one already in the app.
    expect(await res.json()).toMatchObject({
      imported: 2, skippedExisting: 0, skippedDuplicates: 1,
      skipped: [{ index: 1, reason: 'duplicate', field: 'email', duplicateOf: 0, message: 'contact 1: the same email as contact 0 of this import, which is imported' }],
    })
    const rows = await sql`select email, phone, source from contacts where tenant_id = ${LOCAL_TENANT_ID} and source = 'manual' order by email nulls last`
    expect(rows).toEqual([
      { email: 'grace.hopper@example.com', phone: '+14155552671', source: 'manual' },
      { email: null, phone: '+442079460958', source: 'manual' },
    ])
    const [outbox] = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection} and op = 'insert'`
    expect(outbox.n).toBe(2)
  })
})

describe('POST /api/crm/conflicts/:id/resolve', () => {
  it('writes the chosen values to the app, queues the kept ones for push, and closes the conflict', async () => {
    await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['owner', 'contact'] }))
    const [local] = await sql`select c.id, l.remote_id, c.job_title, c.description from contacts c join crm_links l on l.local_id = c.id
                               where l.connection_id = ${connection} limit 1`
    await upsertConflicts(sql, LOCAL_TENANT_ID, connection, 'contact', [{
      localId: local.id, remoteId: local.remote_id, fields: ['jobTitle', 'description'],
      local: { jobTitle: local.job_title, description: local.description }, remote: { jobTitle: 'CRM title', description: 'crm notes' },
    }])
    const [conflict] = await sql`select id from sync_conflicts where local_id = ${local.id} and status = 'open'`
    await sql`delete from crm_outbox where connection_id = ${connection}`
    const res = await resolve(jsonRequest(`/api/crm/conflicts/${conflict.id}/resolve`, { choices: { jobTitle: 'remote', description: 'local' } }), { params: Promise.resolve({ id: String(conflict.id) }) })
    expect(res.status).toBe(200)
    await backgroundSettled()
    const [after] = await sql`select job_title from contacts where id = ${local.id}`
    expect(after.job_title).toBe('CRM title')
    const [closed] = await sql`select status, resolution from sync_conflicts where id = ${conflict.id}`
    expect(closed.status).toBe('resolved')
    const again = await resolve(jsonRequest(`/api/crm/conflicts/${conflict.id}/resolve`, { choices: { jobTitle: 'remote', description: 'local' } }), { params: Promise.resolve({ id: String(conflict.id) }) })
    expect(again.status).toBe(409)
  })

  it('refuses a decision that leaves a conflicting field undecided, changing nothing', async () => {
    await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['contact'] }))
    const [local] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id where l.connection_id = ${connection} limit 1`
    await upsertConflicts(sql, LOCAL_TENANT_ID, connection, 'contact', [{ localId: local.id, remoteId: local.remote_id, fields: ['jobTitle', 'leadStatus'], local: {}, remote: { jobTitle: 'x', leadStatus: 'NEW' } }])
    const [conflict] = await sql`select id from sync_conflicts where local_id = ${local.id} and status = 'open'`
    const res = await resolve(jsonRequest(`/api/crm/conflicts/${conflict.id}/resolve`, { choices: { jobTitle: 'remote' } }), { params: Promise.resolve({ id: String(conflict.id) }) })
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toMatch(/missing: leadStatus/)
    const [still] = await sql`select status from sync_conflicts where id = ${conflict.id}`
    expect(still.status).toBe('open')
  })

  it('refuses a choice for a field that is not in conflict, naming it, and changes nothing', async () => {
    await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['contact'] }))
    const [local] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id where l.connection_id = ${connection} limit 1`
    await upsertConflicts(sql, LOCAL_TENANT_ID, connection, 'contact', [{ localId: local.id, remoteId: local.remote_id, fields: ['jobTitle'], local: {}, remote: { jobTitle: 'x' } }])
    const [conflict] = await sql`select id from sync_conflicts where local_id = ${local.id} and status = 'open'`
    const state = async () => (await sql`select c.job_title, c.email, c.lead_status, c.updated_at, k.status from contacts c
                                         join sync_conflicts k on k.local_id = c.id where k.id = ${conflict.id}`)[0]
    const [before, row] = [await snapshot(sql), await state()]
    const choices = { jobTitle: 'remote', email: 'local', leadStatus: { value: 'NEW' } }
    const res = await resolve(jsonRequest(`/api/crm/conflicts/${conflict.id}/resolve`, { choices }), { params: Promise.resolve({ id: String(conflict.id) }) })
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toBe('not in this conflict: email, leadStatus; decide only jobTitle')
    await backgroundSettled()
    expect(await snapshot(sql)).toEqual(before)
    expect(await state()).toEqual(row)
  })
})
