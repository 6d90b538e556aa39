import { beforeEach, describe, expect, it } from 'vitest'
import { POST as saveSettings } from '../../app/api/crm/settings/route'
import { GET as status } from '../../app/api/crm/status/route'
import { POST as forceSync } from '../../app/api/crm/sync/route'
import { runSync } from '../../lib/crm/sync-service'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 6, companies: 1, deals: 1, owners: 1, seed: 31 })
useAppEnv(sandbox)

let connection: string
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { lookbackMs: 0 })
})

const save = (body: unknown) => saveSettings(jsonRequest('/api/crm/settings', body))
const stored = async () => (await sql`select settings, next_sync_at, last_synced_at from crm_connections where id = ${connection}`)[0]

describe('POST /api/crm/settings', () => {
  it('changes direction, conflict strategy, default country and frequency; the dashboard status shows them', async () => {
    await sql`update crm_connections set last_synced_at = now() - interval '10 minutes' where id = ${connection}`
    const res = await save({ connectionId: connection, settings: { direction: 'pull', conflictStrategy: 'manual_review', defaultCountry: 'de', frequencyMinutes: 15 } })
    expect(res.status).toBe(200)
    const entities = { owner: true, company: true, contact: true, deal: true }
    const settings = { direction: 'pull', entities, conflictStrategy: 'manual_review', defaultCountry: 'DE', frequencyMinutes: 15,
      extraProperties: { contact: [], company: [], deal: [] } }
    expect(await res.json()).toEqual({ connectionId: connection, settings })
    const row = await stored()
    // What was there before (the lookback) stays; the next scheduled sync follows the frequency.
    expect(row.settings).toMatchObject({ lookbackMs: 0, direction: 'pull', conflicts: { strategy: 'manual_review' }, defaultCountry: 'DE', frequencyMinutes: 15 })
    expect(row.next_sync_at.getTime() - row.last_synced_at.getTime()).toBe(15 * 60_000)
    const [view] = (await (await status()).json()).connections
    expect(view.settings).toEqual(settings)

    // Clearing the country leaves the rest alone.
    const cleared = await (await save({ connectionId: connection, settings: { defaultCountry: null } })).json()
    expect(cleared.settings).toEqual({ ...settings, defaultCountry: null })
  })

  it('turns an object type off: the next sync leaves it alone, and turning it on again resumes it', async () => {
    await runSync(sql, { connectionId: connection, trigger: 'cli' })
    const res = await save({ connectionId: connection, settings: { entities: { deal: false } } })
    expect(res.status).toBe(200)
    expect((await res.json()).settings.entities).toEqual({ owner: true, company: true, contact: true, deal: false })
    expect((await stored()).settings.entities).toEqual({ deal: false })
    const [deal] = await sql`select remote_id from crm_links where connection_id = ${connection} and object_type = 'deal'`
    await control(sandbox, 'PATCH', `/rep/deals/${deal.remote_id}`, { properties: { dealname: 'Renamed by a rep' } })

    // Asked for by name, a type that is off is refused with the reason, and no run starts.
    const runs = async () => (await sql`select count(*)::int as n from sync_runs where connection_id = ${connection}`)[0].n
    const before = await runs()
    const forced = await forceSync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['deal'] }))
    expect(forced.status).toBe(409)
    expect((await forced.json()).error.message).toMatch(/Turned off in this connection's sync settings: deal/)
    expect(await runs()).toBe(before)

    const off = await runSync(sql, { connectionId: connection, trigger: 'cli' })
    expect(Object.keys(off.objects).sort()).toEqual(['companies', 'contacts', 'owners'])
    expect((await sql`select name from deals where tenant_id = ${LOCAL_TENANT_ID}`).map((d) => d.name)).not.toContain('Renamed by a rep')

    // On again: the deal's cursor picks up where it stopped, so the rep's change arrives.
    expect((await save({ connectionId: connection, settings: { entities: { deal: true } } })).status).toBe(200)
    const on = await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['deal'] })
    expect(on.objects.deals).toMatchObject({ updated: 1, failed: 0 })
    expect((await sql`select name from deals where tenant_id = ${LOCAL_TENANT_ID}`).map((d) => d.name)).toContain('Renamed by a rep')
  })

  it('a strategy chosen here is the one the next sync uses: manual review queues the conflict', async () => {
    await runSync(sql, { connectionId: connection, trigger: 'cli' })
    expect((await save({ connectionId: connection, settings: { conflictStrategy: 'manual_review' } })).status).toBe(200)
    const [link] = await sql`select local_id, remote_id from crm_links where connection_id = ${connection} and object_type = 'contact' limit 1`
    await sql`update contacts set job_title = 'Set in the app' where id = ${link.local_id}`
    await control(sandbox, 'PATCH', `/rep/contacts/${link.remote_id}`, { properties: { jobtitle: 'Set by a rep' } })
    await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['contact'] })
    const conflicts = await sql`select status from sync_conflicts where connection_id = ${connection}`
    expect(conflicts).toEqual([{ status: 'open' }])
    const [row] = await sql`select job_title from contacts where id = ${link.local_id}`
    expect(row.job_title).toBe('Set in the app')
  })

  it.each([
    ['an unknown strategy', { conflictStrategy: 'loudest_wins' }, /conflictStrategy/],
    ['a three-letter country', { defaultCountry: 'USA' }, /two-letter/],
    ['"UK", which is no country code (the United Kingdom is GB)', { defaultCountry: 'uk' }, /defaultCountry \\"UK\\" is not a country code for phone numbers.*GB for the United Kingdom/],
    ['two letters that name no country', { defaultCountry: 'XX' }, /defaultCountry \\"XX\\" is not a country code/],
    ['a frequency under five minutes', { frequencyMinutes: 1 }, /frequencyMinutes/],
    ['an unknown setting', { lookbackMs: 5 }, /lookbackMs|Unrecognized/],
    ['deals without the contacts they link to', { entities: { contact: false } }, /Deals link to contacts and owners: turn contacts on too/],
    ['contacts without owners', { entities: { owner: false } }, /link to owners: turn owners on too/],
    ['every object type off', { entities: { owner: false, company: false, contact: false, deal: false } }, /at least one/],
    ['an object type that does not exist', { entities: { ticket: false } }, /ticket|Unrecognized/],
    ['an object type set to a string', { entities: { deal: 'off' } }, /deal/],
    ['an extra property HubSpot does not have', { extraProperties: { contact: ['city', 'favourite_colour'] } }, /HubSpot has no contact property \\"favourite_colour\\"/],
    ['an extra property already synced into a column', { extraProperties: { deal: ['dealstage'] } }, /\\"dealstage\\" already syncs into the deal table/],
    ['an extra property name that is not an internal name', { extraProperties: { company: ['Number of employees'] } }, /internal name/],
    ['extra properties for an object type that does not exist', { extraProperties: { ticket: ['subject'] } }, /ticket|Unrecognized/],
    ['more than 50 extra properties', { extraProperties: { contact: Array.from({ length: 51 }, (_, i) => `p${i}`) } }, /at most 50/],
  ])('refuses %s with 400 and changes nothing', async (_name, settings, message) => {
    const before = { db: await snapshot(sql), settings: (await stored()).settings }
    const res = await save({ connectionId: connection, settings })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toMatch(message)
    expect({ db: await snapshot(sql), settings: (await stored()).settings }).toEqual(before)
  })

  it('chooses extra properties per object type: kept as given, shown by the status, and a type left out keeps its list', async () => {
    const first = await save({ connectionId: connection, settings: { extraProperties: { contact: ['city', 'mobilephone', 'city'], company: ['numberofemployees'] } } })
    expect(first.status).toBe(200)
    expect((await first.json()).settings.extraProperties).toEqual({ contact: ['city', 'mobilephone'], company: ['numberofemployees'], deal: [] })
    const second = await save({ connectionId: connection, settings: { extraProperties: { contact: [] } } })
    expect((await second.json()).settings.extraProperties).toEqual({ contact: [], company: ['numberofemployees'], deal: [] })
    const [view] = (await (await status()).json()).connections
    expect(view.settings.extraProperties).toEqual({ contact: [], company: ['numberofemployees'], deal: [] })
  })

  it('a country stored before countries were checked ("UK") reads as unset: the connection still shows, syncs, and can be saved', async () => {
    await sql`update crm_connections set settings = settings || '{"defaultCountry": "UK"}' where id = ${connection}`
    const [view] = (await (await status()).json()).connections
    expect(view.settings.defaultCountry).toBeNull()
    expect((await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['contact'] })).status).toBe('success')
    const res = await save({ connectionId: connection, settings: { defaultCountry: 'GB' } })
    expect(res.status).toBe(200)
    expect((await stored()).settings.defaultCountry).toBe('GB')
  })

  it("answers 404 for a connection that is not this workspace's", async () => {
    const other = await sandboxConnection(sql, sandbox, await createTenant(sql), {})
    const res = await save({ connectionId: other, settings: { direction: 'pull' } })
    expect(res.status).toBe(404)
    const [row] = await sql`select settings from crm_connections where id = ${other}`
    expect(row.settings.direction).toBeUndefined()
  })
})
