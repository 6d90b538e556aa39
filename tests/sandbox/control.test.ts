import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { control, raw, startSandbox } from './helpers.js'

let sb: HubSpotSandbox
beforeAll(async () => {
  sb = await startSandbox()
})
afterAll(() => sb.close())

describe('control API', () => {
  it('seeds the same records for the same seed, with mixed phone formats and associations', async () => {
    await control(sb, 'POST', '/reset', { contacts: 50, companies: 10, deals: 10, seed: 7 })
    const a = (await raw(sb, 'GET', '/crm/v3/objects/contacts?limit=50&properties=email,phone&associations=companies')).body.results
    await control(sb, 'POST', '/reset', { contacts: 50, companies: 10, deals: 10, seed: 7 })
    const b = (await raw(sb, 'GET', '/crm/v3/objects/contacts?limit=50&properties=email,phone&associations=companies')).body.results
    expect(b.map((r: any) => [r.id, r.properties.email, r.properties.phone])).toEqual(a.map((r: any) => [r.id, r.properties.email, r.properties.phone]))
    expect(new Set(a.map((r: any) => r.properties.phone.replace(/\d/g, '9'))).size).toBeGreaterThan(3)
    expect(a.every((r: any) => r.associations?.companies?.results.length)).toBe(true)
  })

  it("seeds the portal's own contact properties on request, each contact holding a value, and every other value as without them", async () => {
    const read = async () => (await raw(sb, 'GET', '/crm/v3/objects/contacts?limit=20&properties=email,phone,jobtitle,custom_field_1,custom_field_3')).body.results
    await control(sb, 'POST', '/reset', { contacts: 20, companies: 4, deals: 4, seed: 9 })
    const plain = await read()
    await control(sb, 'POST', '/reset', { contacts: 20, companies: 4, deals: 4, seed: 9, customProperties: 3 })
    const custom = await read()
    const core = (rs: any[]) => rs.map((r) => [r.id, r.properties.email, r.properties.phone, r.properties.jobtitle])
    expect(core(custom)).toEqual(core(plain))
    expect(custom.every((r: any) => /^value \d+$/.test(r.properties.custom_field_1) && /^value \d+$/.test(r.properties.custom_field_3))).toBe(true)
    expect(plain.every((r: any) => r.properties.custom_field_1 === undefined)).toBe(true) // not a property of that portal
    const defs = (await raw(sb, 'GET', '/crm/v3/properties/contacts')).body.results.filter((p: any) => p.name.startsWith('custom_field_'))
    expect(defs.map((p: any) => [p.name, p.type, p.hubspotDefined])).toEqual([['custom_field_1', 'string', false], ['custom_field_2', 'string', false], ['custom_field_3', 'string', false]])
  })

  it('counts calls per endpoint and resets the counters', async () => {
    await control(sb, 'DELETE', '/stats')
    await raw(sb, 'GET', '/crm/v3/objects/contacts')
    await raw(sb, 'GET', '/crm/v3/objects/contacts/1')
    await raw(sb, 'POST', '/crm/v3/objects/contacts/search', {})
    const stats = (await control(sb, 'GET', '/stats')).body
    expect(stats.calls).toEqual({ 'GET /crm/v3/objects/contacts': 1, 'GET /crm/v3/objects/contacts/{id}': 1, 'POST /crm/v3/objects/contacts/search': 1 })
    expect(stats.total).toBe(3)
  })

  it('counts the answers by status and keeps the refused calls, so a test can say what was refused', async () => {
    await control(sb, 'DELETE', '/stats')
    await raw(sb, 'GET', '/crm/v3/objects/contacts?limit=1')
    await raw(sb, 'GET', '/crm/v3/objects/contacts/999999999')
    await control(sb, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'rate_limit', rate: 1 }] })
    await raw(sb, 'GET', '/crm/v3/objects/contacts?after=5')
    await control(sb, 'DELETE', '/faults')
    const stats = (await control(sb, 'GET', '/stats')).body
    expect(stats.answered).toEqual({ 200: 1, 404: 1, 429: 1 })
    expect(stats.refusals.map((r: any) => [r.call, r.status])).toEqual([
      ['GET /crm/v3/objects/contacts/999999999', 404], ['GET /crm/v3/objects/contacts?after=5', 429],
    ])
    await control(sb, 'DELETE', '/stats')
    expect((await control(sb, 'GET', '/stats')).body).toMatchObject({ total: 0, answered: {}, refusals: [] })
  })

  it('injects faults at the configured rate, replayably from a seed, optionally per path', async () => {
    const run = async () => {
      await control(sb, 'PUT', '/faults', { seed: 42, rules: [{ kind: 'server_error', rate: 0.5, status: 503, match: '^GET /crm/v3/objects/contacts$' }] })
      const statuses: number[] = []
      for (let i = 0; i < 20; i++) statuses.push((await raw(sb, 'GET', '/crm/v3/objects/contacts')).status)
      return statuses
    }
    const first = await run()
    expect(first).toContain(503)
    expect(first).toContain(200)
    expect(await run()).toEqual(first)
    expect((await raw(sb, 'GET', '/crm/v3/owners')).status).toBe(200)
    await control(sb, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'rate_limit', rate: 1 }] })
    const limited = await raw(sb, 'GET', '/crm/v3/objects/contacts')
    expect(limited.status).toBe(429)
    expect(limited.body.policyName).toBe('TEN_SECONDLY_ROLLING')
    await control(sb, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'truncate', rate: 1 }] })
    await expect(raw(sb, 'GET', '/crm/v3/objects/contacts')).rejects.toThrow()
    await control(sb, 'DELETE', '/faults')
  })

  it('serves a records page where a person can edit a record as a rep', async () => {
    const created = await raw(sb, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'ui@x.com', firstname: 'Before' } })
    const page = await fetch(`${sb.url}/_sandbox/ui?type=contacts`)
    expect(await page.text()).toContain('ui@x.com')
    const form = new URLSearchParams({ firstname: 'After', email: 'ui@x.com' })
    const saved = await fetch(`${sb.url}/_sandbox/ui/contacts/${created.body.id}`, { method: 'POST', body: form, redirect: 'manual' })
    expect(saved.status).toBe(303)
    expect((await raw(sb, 'GET', `/crm/v3/objects/contacts/${created.body.id}`)).body.properties.firstname).toBe('After')
  })

  it('moves the clock forward and refuses to move it back, which would leave the rate-limit windows full', async () => {
    const start = (await control(sb, 'POST', '/clock', { advanceMs: 0 })).body.offsetMs
    const ahead = await control(sb, 'POST', '/clock', { advanceMs: 60_000 })
    expect(ahead.status).toBe(200)
    expect(ahead.body.offsetMs).toBe(start + 60_000)
    const back = await control(sb, 'POST', '/clock', { advanceMs: -3_600_000 })
    expect(back.status).toBe(400)
    expect(back.body.message).toContain('advanceMs: the sandbox clock only moves forward')
    expect((await control(sb, 'POST', '/clock', { advanceMs: 0 })).body.offsetMs).toBe(ahead.body.offsetMs)
  })

  it('changes tier and search lag at runtime', async () => {
    const cfg = await control(sb, 'PATCH', '/config', { tier: 'free', searchIndexLagMs: 0 })
    expect(cfg.body).toMatchObject({ tier: 'free', searchIndexLagMs: 0 })
    expect((await raw(sb, 'GET', '/crm/v3/objects/contacts')).headers.get('x-hubspot-ratelimit-max')).toBe('100')
    await control(sb, 'PATCH', '/config', { tier: 'off' })
  })

  it("edits and deactivates an owner as an admin does: same id, updatedAt moved; deactivated, it is listed only with archived=true, userId null", async () => {
    await control(sb, 'POST', '/reset', { owners: 2, seed: 3 })
    const [first] = (await raw(sb, 'GET', '/crm/v3/owners')).body.results
    const edited = (await control(sb, 'PATCH', `/owners/${first.id}`, { email: 'New.Address@example.com' })).body
    expect(edited).toMatchObject({ id: first.id, email: 'new.address@example.com', userId: first.userId })
    expect(Date.parse(edited.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt))
    await control(sb, 'PATCH', `/owners/${first.id}`, { archived: true })
    const ids = async (archived: boolean) => (await raw(sb, 'GET', `/crm/v3/owners?archived=${archived}`)).body.results.map((o: any) => o.id)
    expect(await ids(false)).not.toContain(first.id)
    expect(await ids(true)).toEqual([first.id])
    expect((await raw(sb, 'GET', `/crm/v3/owners/${first.id}?archived=true`)).body).toMatchObject({ archived: true, userId: null, userIdIncludingInactive: first.userIdIncludingInactive })
    await control(sb, 'PATCH', `/owners/${first.id}`, { archived: false })
    expect(await ids(false)).toContain(first.id)
    expect((await control(sb, 'PATCH', '/owners/1', { email: 'x@example.com' })).status).toBe(404)
  })
})
