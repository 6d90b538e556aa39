import { describe, expect, it } from 'vitest'
import { editLead } from '../../lib/crm/edit-lead'
import { resendLead } from '../../lib/crm/resend-lead'
import { runSync } from '../../lib/crm/sync-service'
import { recentLeads } from '../../lib/store/dashboard'
import { insertManualContacts } from '../../lib/store/local-writes'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// A manual lead whose HubSpot record a rep deleted: the sync keeps the lead (manual leads are
// never deleted by it) and sends its edits nowhere, so the leads list says so. Before, the
// row looked like any other manual lead and an edit went "0 pushed" with no word.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, companies: 1, deals: 0, owners: 1, seed: 31 })
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual' })

describe('a manual lead deleted in HubSpot', () => {
  it('stays, and the leads list says it was deleted in HubSpot (and not that an edit is on its way)', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sync(connection)
    const [id] = await insertManualContacts(sql, tenant, [{ email: 'dup@example.com', phone: null, firstName: 'Dup', lastName: null,
      jobTitle: null, companyName: null, lifecycleStage: null, leadStatus: null, description: null }])
    await sync(connection)
    const [link] = await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${id}`
    const lead = async () => (await recentLeads(sql, tenant, { search: 'dup@example.com' }))[0]
    expect(await lead()).toMatchObject({ id, deletedInCrm: false, pendingPush: false })

    await control(sandbox, 'DELETE', `/rep/contacts/${link.remote_id}`)
    await sync(connection)
    expect(await lead()).toMatchObject({ id, source: 'manual', deletedInCrm: true })

    // An edit stays in the app: not "waiting to sync", and the sync sends it nowhere.
    await editLead(sql, tenant, id, { firstName: 'Revived' })
    expect(await lead()).toMatchObject({ firstName: 'Revived', deletedInCrm: true, pendingPush: false })
    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 0 })
    expect(await lead()).toMatchObject({ firstName: 'Revived', deletedInCrm: true, pendingPush: false })
  })

  it('"Send to HubSpot again": the next sync creates it in HubSpot as a new contact, with the edits made meanwhile', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const email = 'again@example.com'
    const [id] = await insertManualContacts(sql, tenant, [{ email, phone: null, firstName: 'Dup', lastName: null,
      jobTitle: null, companyName: null, lifecycleStage: null, leadStatus: null, description: null }])
    await sync(connection)
    const [link] = await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${id}`
    await control(sandbox, 'DELETE', `/rep/contacts/${link.remote_id}`)
    await sync(connection)
    await editLead(sql, tenant, id, { firstName: 'Revived' })
    await sync(connection)
    const lead = async () => (await recentLeads(sql, tenant, { search: email }))[0]

    await resendLead(sql, tenant, id)
    expect(await lead()).toMatchObject({ deletedInCrm: false, pendingPush: true })
    // Only a lead HubSpot deleted: asked again (now unlinked), or for any other lead, a 404.
    await expect(resendLead(sql, tenant, id)).rejects.toMatchObject({ type: 'not_found' })
    await expect(resendLead(sql, tenant, 'not-a-uuid')).rejects.toMatchObject({ type: 'not_found' })
    await expect(resendLead(sql, await createTenant(sql), id)).rejects.toMatchObject({ type: 'not_found' })

    expect((await sync(connection)).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const [relinked] = await sql`select remote_id, archived_at from crm_links where connection_id = ${connection} and local_id = ${id}`
    expect(relinked.archived_at).toBeNull()
    expect(relinked.remote_id).not.toBe(link.remote_id)
    const remote = await control<{ properties: Record<string, string | null>; archived?: boolean }>(sandbox, 'GET', `/records/contacts/${relinked.remote_id}`)
    expect(remote.properties).toMatchObject({ email, firstname: 'Revived' })
    expect(await lead()).toMatchObject({ firstName: 'Revived', deletedInCrm: false, pendingPush: false })
    // And it stays: the next sync neither archives its new link nor creates it twice.
    await sync(connection)
    expect(await lead()).toMatchObject({ deletedInCrm: false, pendingPush: false })
    const all = await control<{ results: Array<{ properties: Record<string, string | null> }> }>(sandbox, 'GET', '/records/contacts?limit=1000')
    expect(all.results.filter((r) => r.properties.email === email)).toHaveLength(1)
  })

  it('a disconnected connection says nothing of it (its links wait for a reconnect)', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const [id] = await insertManualContacts(sql, tenant, [{ email: 'gone@example.com', phone: null, firstName: null, lastName: null,
      jobTitle: null, companyName: null, lifecycleStage: null, leadStatus: null, description: null }])
    await sync(connection)
    const [link] = await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${id}`
    await control(sandbox, 'DELETE', `/rep/contacts/${link.remote_id}`)
    await sync(connection)
    expect((await recentLeads(sql, tenant))[0]).toMatchObject({ id, deletedInCrm: true })
    await sql`update crm_connections set status = 'disconnected' where id = ${connection}`
    expect((await recentLeads(sql, tenant))[0]).toMatchObject({ id, deletedInCrm: false })
  })
})
