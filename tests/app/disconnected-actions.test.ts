import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { POST as connect } from '../../app/api/crm/connect/route'
import { POST as disconnect } from '../../app/api/crm/disconnect/route'
import { POST as importLeads } from '../../app/api/crm/import/route'
import { PATCH as patchLead } from '../../app/api/crm/leads/[id]/route'
import { GET as status } from '../../app/api/crm/status/route'
import { POST as resend } from '../../app/api/crm/leads/[id]/resend/route'
import { syncDueConnections } from '../../lib/crm/cron'
import { runSync } from '../../lib/crm/sync-service'
import { upsertConflicts } from '../../lib/store/conflicts'
import { disconnectConnection } from '../../lib/store/connections'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, testSandbox } from '../helpers/sandbox'
import { APP_URL, jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

// What a person is told, and what becomes of what they did, when the workspace's only
// connection is disconnected and the action names a lead or a conflict, not the connection:
// an edit (a lead's, a new lead, a decision) is kept and reaches HubSpot once the same portal
// is connected again; an action that needs HubSpot answers the routes' 409 `disconnected`; and
// no background push or cron run reports the disconnected connection as a failure.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 0, deals: 0, owners: 1, seed: 71 })
useAppEnv(sandbox)

const DISCONNECTED = { code: 'disconnected', message: 'This connection is disconnected: connect the same HubSpot portal again from the dashboard to bring it back' }
const params = (id: string) => ({ params: Promise.resolve({ id }) })
const post = (path: string) => new Request(`${APP_URL}${path}`, { method: 'POST' })
const t = LOCAL_TENANT_ID
let connection: string

/** Connect HubSpot (the same portal again: the same connection comes back), and its first sync. */
async function connectPortal(): Promise<string> {
  const res = await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))
  expect([200, 201]).toContain(res.status)
  await backgroundSettled()
  return (await res.json()).connection.id as string
}

async function disconnectPortal(): Promise<void> {
  expect((await disconnect(jsonRequest('/api/crm/disconnect', { connectionId: connection }))).status).toBe(200)
}

const inHubSpot = (remoteId: string) => control<{ properties: Record<string, string | null> }>(sandbox, 'GET', `/records/contacts/${remoteId}`)
const remoteIdOf = async (localId: string) =>
  (await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${localId} and archived_at is null`)[0]?.remote_id as string | undefined
const errors = vi.spyOn(console, 'error')

beforeAll(async () => {
  await resetLocalWorkspace(sql)
  connection = await connectPortal()
})
// Each case starts connected, whatever the one before left.
beforeEach(async () => {
  const [c] = await sql`select status from crm_connections where id = ${connection}`
  if (c.status === 'disconnected') await connectPortal()
})
afterEach(() => errors.mockClear())

describe('the only connection disconnected', () => {
  it('an edit of a lead and a lead added are kept (204, imported), and reach HubSpot once the same portal is connected again', async () => {
    const [lead] = await sql`select c.id from contacts c join crm_links l on l.local_id = c.id and l.connection_id = ${connection}
                              where c.tenant_id = ${t} order by c.email limit 1`
    expect((await (await status()).json()).disconnected).toBeNull()
    await disconnectPortal()
    // What the lead form reads to say where the edit goes (components/lead-form.ts, pushNote).
    expect((await (await status()).json())).toMatchObject({ connections: [], disconnected: { direction: 'bidirectional' } })

    const edited = await patchLead(jsonRequest('/x', { jobTitle: 'Edited while disconnected' }, { method: 'PATCH' }), params(lead.id))
    expect(edited.status).toBe(204)
    const added = await importLeads(jsonRequest('/api/crm/import', [{ email: 'added.while.disconnected@example.com', firstName: 'Added' }]))
    expect(added.status).toBe(201)
    const [newId] = (await added.json()).ids as string[]

    expect(await connectPortal()).toBe(connection)
    expect((await inHubSpot((await remoteIdOf(lead.id))!)).properties.jobtitle).toBe('Edited while disconnected')
    const created = await remoteIdOf(newId)
    expect(created).toBeDefined()
    expect((await inHubSpot(created!)).properties).toMatchObject({ email: 'added.while.disconnected@example.com', firstname: 'Added' })
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n).toBe(0)
  })

  it('a decision on a conflict is applied (200), its push waits without a failure logged, and reaches HubSpot on reconnecting', async () => {
    const [lead] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id and l.connection_id = ${connection}
                              where c.tenant_id = ${t} order by c.email desc limit 1`
    await upsertConflicts(sql, t, connection, 'contact', [{
      localId: lead.id, remoteId: lead.remote_id, fields: ['jobTitle'], local: { jobTitle: 'App side' }, remote: { jobTitle: 'HubSpot side' },
    }])
    const [conflict] = await sql`select id from sync_conflicts where connection_id = ${connection} and status = 'open'`
    await disconnectPortal()
    const runs = async () => (await sql`select count(*)::int as n from sync_runs where connection_id = ${connection}`)[0].n as number
    const runsBefore = await runs()

    const res = await resolve(jsonRequest('/x', { choices: { jobTitle: { value: 'Decided while disconnected' } } }), params(String(conflict.id)))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'resolved' })
    await backgroundSettled()
    // The push after Apply found the connection disconnected: no failure logged, no run recorded.
    expect(errors.mock.calls.flat().join(' ')).not.toMatch(/disconnected|failed/)
    expect(await runs()).toBe(runsBefore)
    expect((await sql`select job_title from contacts where id = ${lead.id}`)[0].job_title).toBe('Decided while disconnected')

    expect(await connectPortal()).toBe(connection)
    expect((await inHubSpot(lead.remote_id)).properties.jobtitle).toBe('Decided while disconnected')
  })

  it('"Send to HubSpot again" for a lead HubSpot deleted answers 409 disconnected (it was a 404 "No such lead"), and works once reconnected', async () => {
    const imported = await (await importLeads(jsonRequest('/api/crm/import', [{ email: 'deleted.in.hubspot@example.com' }]))).json()
    const [id] = imported.ids as string[]
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    await control(sandbox, 'DELETE', `/rep/contacts/${(await remoteIdOf(id))!}`)
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    await disconnectPortal()
    const outbox = async () => (await sql`select count(*)::int as n from crm_outbox where tenant_id = ${t}`)[0].n as number
    const before = [await outbox(), await sql`select connection_id, archived_at from crm_links where local_id = ${id}`]

    const res = await resend(post('/x'), params(id))
    expect([res.status, (await res.json()).error]).toEqual([409, DISCONNECTED])
    expect([await outbox(), await sql`select connection_id, archived_at from crm_links where local_id = ${id}`]).toEqual(before)
    // A lead HubSpot did not delete is still a 404.
    const [other] = await sql`select id from contacts where tenant_id = ${t} and id <> ${id} limit 1`
    expect((await resend(post('/x'), params(other.id))).status).toBe(404)

    expect(await connectPortal()).toBe(connection)
    expect((await resend(post('/x'), params(id))).status).toBe(204)
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect((await inHubSpot((await remoteIdOf(id))!)).properties.email).toBe('deleted.in.hubspot@example.com')
  })

  it('the cron skips a connection disconnected after it was listed as due: no result, nothing logged; a sync asked then answers 409', async () => {
    await sql`update crm_connections set next_sync_at = now() + interval '1 day'`
    await sql`update crm_connections set next_sync_at = now() - interval '1 minute' where id = ${connection}`
    const report = await syncDueConnections(sql, {
      budgetMs: 120_000,
      sync: async (db, opts) => {
        await disconnectConnection(db, t, opts.connectionId)
        return runSync(db, opts)
      },
    })
    expect(report.due).toBe(1)
    expect(report.results).toEqual([])
    expect(errors.mock.calls.flat().join(' ')).not.toContain(connection)
    // Refresh CRM that looked before the disconnect: the routes' 409, not a 500 'config' error.
    await expect(runSync(sql, { connectionId: connection, trigger: 'manual' })).rejects.toMatchObject({ status: 409, ...DISCONNECTED })
  })
})
