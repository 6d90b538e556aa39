import { beforeEach, describe, expect, it } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { POST as saveSettings } from '../../app/api/crm/settings/route'
import { decideConflict } from '../../lib/crm/review'
import { runSync } from '../../lib/crm/sync-service'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

// A person's decision is final for the values decided, even when it comes before the pull
// has read back the echo of an unrelated push of the same record (that push moved HubSpot's
// lastmodifieddate, so "the newer edit wins" would hand the field to HubSpot if the sync
// still took it for changed on both sides).

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 1, deals: 0, owners: 1, seed: 41 })
useAppEnv(sandbox)

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const refresh = () => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
const save = async (body: unknown) => {
  const res = await saveSettings(jsonRequest('/api/crm/settings', body))
  await backgroundSettled()
  return res
}
const decide = async (id: number, choices: Record<string, unknown>) => {
  const res = await resolve(jsonRequest(`/api/crm/conflicts/${id}/resolve`, { choices }), { params: Promise.resolve({ id: String(id) }) })
  await backgroundSettled()
  return res
}
const localTitle = async (id: string) => (await sql`select job_title from contacts where id = ${id}`)[0].job_title as string | null
const remoteTitle = async (id: string) => (await control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${id}`)).properties.jobtitle

let connection: string
let round = 0
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { conflicts: { strategy: 'manual_review' } })
  await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['owner', 'contact'] })
})

/**
 * The walkthrough's steps 1 and 2: a job title both sides changed (the app last), waiting for
 * a person; then an app edit of the last name, pushed by a Refresh whose echo is not read yet.
 */
async function conflictThenOwnPush(): Promise<{ id: number; localId: string; remoteId: string; app: string; crm: string }> {
  // The sandbox outlives each test's workspace: fresh values keep every test's edits real edits.
  const n = ++round
  const [app, crm] = [`App J${n}`, `SB J${n}`]
  const [c] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id
                         where l.connection_id = ${connection} order by c.id limit 1`
  await control(sandbox, 'PATCH', `/rep/contacts/${c.remote_id}`, { properties: { jobtitle: crm } })
  await new Promise((res) => setTimeout(res, 20))
  await sql`update contacts set job_title = ${app} where id = ${c.id}`
  await refresh()
  const [k] = await sql`select id, fields from sync_conflicts where local_id = ${c.id} and status = 'open'`
  expect(k.fields).toEqual(['jobTitle'])
  const before = (await control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${c.remote_id}`)).properties.lastmodifieddate
  await sql`update contacts set last_name = ${`Pushed ${n}`} where id = ${c.id}`
  expect((await refresh()).objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
  const after = (await control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${c.remote_id}`)).properties
  expect(after.lastname).toBe(`Pushed ${n}`)
  // Our push is now HubSpot's newest edit of the record.
  expect(after.lastmodifieddate).not.toBe(before)
  return { id: Number(k.id), localId: c.id, remoteId: c.remote_id, app, crm }
}

describe("a decision made before the sync has read back the echo of the app's own push", () => {
  it('Apply "In the app" under the newer edit wins: HubSpot gets the app\'s value, and the app keeps it', async () => {
    const r = await conflictThenOwnPush()
    await save({ connectionId: connection, settings: { conflictStrategy: 'timestamp_based' } })
    expect((await decide(r.id, { jobTitle: 'local' })).status).toBe(200)
    expect(await localTitle(r.localId)).toBe(r.app)
    expect(await remoteTitle(r.remoteId)).toBe(r.app)
    // Nothing left to undo it: another Refresh changes nothing on either side.
    expect((await refresh()).objects.contacts).toMatchObject({ pushed: 0, conflicts: 0, failed: 0 })
    expect(await localTitle(r.localId)).toBe(r.app)
    expect(await remoteTitle(r.remoteId)).toBe(r.app)
  })

  it('saving "the newer edit wins" with the waiting conflicts decided (the app edited last): HubSpot gets the app\'s value', async () => {
    const r = await conflictThenOwnPush()
    const res = await save({ connectionId: connection, settings: { conflictStrategy: 'timestamp_based' }, decideOpenConflicts: true })
    expect(await res.json()).toMatchObject({ decidedConflicts: 1, openConflicts: 0 })
    const [k] = await sql`select resolution from sync_conflicts where id = ${r.id}`
    expect(k.resolution).toMatchObject({ choices: { jobTitle: 'local' }, toRemote: { jobTitle: r.app } })
    await refresh()
    expect(await localTitle(r.localId)).toBe(r.app)
    expect(await remoteTitle(r.remoteId)).toBe(r.app)
  })

  // HubSpot first: a field still taken for changed on both sides would go to HubSpot.
  it.each([
    ['"In HubSpot"', 'timestamp_based', 'remote'],
    ['a typed value', 'source_priority', { value: 'Typed J' }],
    ['"In the app"', 'source_priority', 'local'],
  ] as const)('Apply with %s (strategy now %s): both sides end with the value decided', async (_name, strategy, choice) => {
    const r = await conflictThenOwnPush()
    const expected = choice === 'remote' ? r.crm : choice === 'local' ? r.app : choice.value
    await save({ connectionId: connection, settings: { conflictStrategy: strategy } })
    expect((await decide(r.id, { jobTitle: choice })).status).toBe(200)
    await refresh()
    expect(await localTitle(r.localId)).toBe(expected)
    expect(await remoteTitle(r.remoteId)).toBe(expected)
  })

  it('a rep edit made after the decision still counts: the strategy weighs it as any later edit', async () => {
    const r = await conflictThenOwnPush()
    await sql`update crm_connections set settings = jsonb_set(settings, '{conflicts,strategy}', '"timestamp_based"') where id = ${connection}`
    // Decided without the background push (as if it had not run yet), then a rep edits the field again.
    await decideConflict(sql, LOCAL_TENANT_ID, r.id, { jobTitle: 'local' })
    await new Promise((res) => setTimeout(res, 20))
    await control(sandbox, 'PATCH', `/rep/contacts/${r.remoteId}`, { properties: { jobtitle: 'SB later' } })
    await refresh()
    expect(await localTitle(r.localId)).toBe('SB later')
    expect(await remoteTitle(r.remoteId)).toBe('SB later')
  })
})
