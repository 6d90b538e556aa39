import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// A record read before its owner is in the app (a sync of contacts alone, or an owner created
// in HubSpot after the run's owners phase) has no owner_id here: the owner it names waits in
// crm_pending_refs. That emptiness is not the app clearing the owner. A rep's later edit of
// any other field made the pull weigh the empty owner against the link's "#<owner id>" as the
// app's change, and send it: HubSpot's owner was cleared (found by the owners review).

const sql = testSql()
const sandbox = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 0, seed: 71 })
interface SandboxRecord { id: string; properties: Record<string, string | null> }
const remote = async (type: string, id: string) => (await control<SandboxRecord>(sandbox, 'GET', `/records/${type}s/${id}`)).properties
const uniq = () => randomUUID().slice(0, 8)

describe("a record whose owner is not in the app yet", () => {
  it.each(['contact', 'deal'] as const)("%s: a rep's edit of another field syncs without clearing HubSpot's owner; the owner links once it arrives", async (type) => {
    const owner = await control<{ id: string }>(sandbox, 'POST', '/owners', { email: `owner-${uniq()}@example.com`, firstName: 'Owner' })
    const props = type === 'contact'
      ? { email: `lead-${uniq()}@example.com`, firstname: 'Lead', hubspot_owner_id: owner.id }
      : { dealname: `Deal ${uniq()}`, dealstage: 'qualifiedtobuy', pipeline: 'default', amount: '100', hubspot_owner_id: owner.id }
    const record = await control<SandboxRecord>(sandbox, 'POST', `/rep/${type}s`, { properties: props })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    // Not the owners: the record's owner stays pending.
    await runSync(sql, { connectionId: connection, trigger: 'manual', objects: [type] })
    const table = type === 'contact' ? sql`contacts` : sql`deals`
    const local = async () => (await sql`select t.id, t.owner_id from ${table} t join crm_links l on l.local_id = t.id
                                          where l.connection_id = ${connection} and l.remote_id = ${record.id}`)[0]
    expect((await local()).owner_id).toBeNull()

    await control(sandbox, 'PATCH', `/rep/${type}s/${record.id}`, { properties: type === 'contact' ? { jobtitle: 'Buyer' } : { amount: '250' } })
    const run = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: [type] })
    expect(run.status).toBe('success')
    expect((await remote(type, record.id)).hubspot_owner_id).toBe(owner.id)
    expect(await sql`select count(*)::int as n from sync_conflicts where connection_id = ${connection}`).toEqual([{ n: 0 }])

    await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['owner'] })
    const [o] = await sql`select id from owners where connection_id = ${connection} and remote_id = ${owner.id}`
    expect((await local()).owner_id).toBe(o.id)
    expect((await remote(type, record.id)).hubspot_owner_id).toBe(owner.id)
  })
})
