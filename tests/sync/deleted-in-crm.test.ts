import { describe, expect, it } from 'vitest'
import { editLead } from '../../lib/crm/edit-lead'
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
