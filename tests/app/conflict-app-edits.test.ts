import { beforeEach, describe, expect, it } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { PATCH as patchLead } from '../../app/api/crm/leads/[id]/route'
import { conflictConfigSchema } from '../../lib/crm/conflicts/config'
import { conflictsForReview } from '../../lib/crm/conflicts-queue'
import { decideWithStrategy } from '../../lib/crm/decide-open-conflicts'
import { runSync } from '../../lib/crm/sync-service'
import { openConflictsAfter } from '../../lib/store/conflicts'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

// The walkthrough: under manual review a job title both sides changed waits for a person;
// then the app edits it again. That edit is the app's side of the conflict at once, by
// whichever path it was written (the lead form's PATCH, a plain UPDATE of the table): the
// queue shows it, and Apply takes it, "In the app" sending it to HubSpot and "In HubSpot"
// writing over it. A choice made on values either side has changed since is still refused.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 0, deals: 0, owners: 1, seed: 43 })
useAppEnv(sandbox)

interface SandboxRecord { id: string; properties: Record<string, string | null> }
type Seen = Record<string, { local: string | null; remote: string | null }>
const refresh = () => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
const patch = (id: string, body: unknown) =>
  patchLead(jsonRequest(`/api/crm/leads/${id}`, body, { method: 'PATCH' }), { params: Promise.resolve({ id }) })
const decide = async (id: number, choices: Record<string, unknown>, seen?: Seen) => {
  const res = await resolve(jsonRequest(`/api/crm/conflicts/${id}/resolve`, { choices, ...(seen ? { seen } : {}) }), { params: Promise.resolve({ id: String(id) }) })
  await backgroundSettled()
  return res
}
const localTitle = async (id: string) => (await sql`select job_title from contacts where id = ${id}`)[0].job_title as string | null
const remoteTitle = async (id: string) => (await control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${id}`)).properties.jobtitle
const conflictRow = async (id: number) => (await sql`select status, resolution from sync_conflicts where id = ${id}`)[0]
/** The conflict as the dashboard's queue shows it, and the values its Apply sends back as seen. */
const shown = async (id: number) => {
  const c = (await conflictsForReview(sql, LOCAL_TENANT_ID, { limit: 50 })).find((k) => k.id === id)!
  const seen: Seen = Object.fromEntries(c.fields.map((f) => [f, { local: c.local[f] ?? null, remote: c.remote[f] ?? null }]))
  return { local: c.local.jobTitle, remote: c.remote.jobTitle, seen }
}

let connection: string
let round = 0
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { conflicts: { strategy: 'manual_review' } })
  await refresh()
})

/** "CRM sN" in HubSpot, "App sN" in the app (the lead form), a sync: an open conflict on the job title. */
async function waiting(): Promise<{ id: number; localId: string; remoteId: string; n: number }> {
  // The sandbox outlives each test's workspace: fresh values keep every test's edits real edits.
  const n = ++round
  const [c] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id
                         where l.connection_id = ${connection} order by c.id limit 1`
  await control(sandbox, 'PATCH', `/rep/contacts/${c.remote_id}`, { properties: { jobtitle: `CRM s${n}` } })
  expect((await patch(c.id, { jobTitle: `App s${n}` })).status).toBe(204)
  expect((await refresh()).objects.contacts).toMatchObject({ conflicts: 1, failed: 0 })
  const [k] = await sql`select id, fields from sync_conflicts where local_id = ${c.id} and status = 'open'`
  expect(k.fields).toEqual(['jobTitle'])
  return { id: Number(k.id), localId: c.id, remoteId: c.remote_id, n }
}

describe('an app edit of a field waiting in a conflict', () => {
  it.each([
    ['the lead form (PATCH /api/crm/leads/:id)', 'patch'],
    ['a plain UPDATE of the contacts table', 'update'],
  ] as const)('made through %s: the queue shows it at once and "In the app" sends it to HubSpot', async (_name, path) => {
    const r = await waiting()
    expect(await shown(r.id)).toMatchObject({ local: `App s${r.n}`, remote: `CRM s${r.n}` })
    const newer = `App s${r.n}, again`
    if (path === 'patch') expect((await patch(r.localId, { jobTitle: newer })).status).toBe(204)
    else await sql`update contacts set job_title = ${newer} where id = ${r.localId}`
    const now = await shown(r.id)
    expect(now).toMatchObject({ local: newer, remote: `CRM s${r.n}` })
    const res = await decide(r.id, { jobTitle: 'local' }, now.seen)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'resolved', toLocal: {}, toRemote: { jobTitle: newer } })
    // The push Apply starts has sent it: both sides hold the newest app value.
    expect(await remoteTitle(r.remoteId)).toBe(newer)
    expect(await localTitle(r.localId)).toBe(newer)
    expect((await refresh()).objects.contacts).toMatchObject({ pushed: 0, conflicts: 0, failed: 0 })
    expect(await remoteTitle(r.remoteId)).toBe(newer)
  })

  it('"In HubSpot" writes HubSpot\'s value over the newest app value, and nothing goes back', async () => {
    const r = await waiting()
    expect((await patch(r.localId, { jobTitle: `App s${r.n}, again` })).status).toBe(204)
    const res = await decide(r.id, { jobTitle: 'remote' }, (await shown(r.id)).seen)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'resolved', toLocal: { jobTitle: `CRM s${r.n}` }, toRemote: {} })
    expect(await localTitle(r.localId)).toBe(`CRM s${r.n}`)
    expect(await remoteTitle(r.remoteId)).toBe(`CRM s${r.n}`)
    expect((await refresh()).objects.contacts).toMatchObject({ pushed: 0, conflicts: 0, failed: 0 })
    expect(await localTitle(r.localId)).toBe(`CRM s${r.n}`)
  })

  it('decided without the values seen (an API client): the app side is the row as it is now', async () => {
    const r = await waiting()
    await sql`update contacts set job_title = ${`SQL s${r.n}`} where id = ${r.localId}`
    expect((await decide(r.id, { jobTitle: 'local' })).status).toBe(200)
    expect(await remoteTitle(r.remoteId)).toBe(`SQL s${r.n}`)
    expect(await conflictRow(r.id)).toMatchObject({ status: 'resolved', resolution: { toRemote: { jobTitle: `SQL s${r.n}` } } })
  })
})

describe('a choice made on values that changed since they were shown is refused (409), and changes nothing', () => {
  it.each(['local', 'remote'] as const)('the app edited the field after the page was shown (Apply %s)', async (choice) => {
    const r = await waiting()
    const before = await shown(r.id)
    expect((await patch(r.localId, { jobTitle: `App s${r.n}, again` })).status).toBe(204)
    const res = await decide(r.id, { jobTitle: choice }, before.seen)
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toMatch(/changed since \(jobTitle\); review the new values/)
    expect(await conflictRow(r.id)).toMatchObject({ status: 'open' })
    expect(await localTitle(r.localId)).toBe(`App s${r.n}, again`)
    expect(await remoteTitle(r.remoteId)).toBe(`CRM s${r.n}`)
    // The page shown again has the new value, and its Apply goes through.
    expect((await decide(r.id, { jobTitle: choice }, (await shown(r.id)).seen)).status).toBe(200)
    const expected = choice === 'local' ? `App s${r.n}, again` : `CRM s${r.n}`
    expect(await localTitle(r.localId)).toBe(expected)
    expect(await remoteTitle(r.remoteId)).toBe(expected)
  })

  it("HubSpot's value changed after the page was shown (a sync refreshed the conflict)", async () => {
    const r = await waiting()
    const before = await shown(r.id)
    await control(sandbox, 'PATCH', `/rep/contacts/${r.remoteId}`, { properties: { jobtitle: `CRM s${r.n}, again` } })
    await refresh()
    expect(await shown(r.id)).toMatchObject({ local: `App s${r.n}`, remote: `CRM s${r.n}, again` })
    const res = await decide(r.id, { jobTitle: 'remote' }, before.seen)
    expect(res.status).toBe(409)
    expect(await conflictRow(r.id)).toMatchObject({ status: 'open' })
    expect(await localTitle(r.localId)).toBe(`App s${r.n}`)
  })

  it("a strategy deciding a conflict read before HubSpot's value changed decides on the value as it is when locked", async () => {
    const r = await waiting()
    const [read] = await openConflictsAfter(sql, connection, 0, 10)
    await sql`update sync_conflicts set remote_snapshot = remote_snapshot || '{"jobTitle": "CRM refreshed"}' where id = ${read.id}`
    // A strategy is no person shown the values: it weighs the ones the conflict holds now.
    expect(await decideWithStrategy(sql, LOCAL_TENANT_ID, read, conflictConfigSchema.parse({ strategy: 'source_priority' }))).toBe('decided')
    expect(await conflictRow(r.id)).toMatchObject({ status: 'resolved', resolution: { toLocal: { jobTitle: 'CRM refreshed' }, decidedBy: 'source_priority' } })
    expect(await localTitle(r.localId)).toBe('CRM refreshed')
  })
})
