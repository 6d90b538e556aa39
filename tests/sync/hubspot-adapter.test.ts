import { describe, expect, it } from 'vitest'
import { Client } from '@hubspot/api-client'
import { createHubSpotAdapter } from '../../lib/crm/adapters/hubspot'
import { propertiesFor, toRemoteRecord } from '../../lib/crm/adapters/hubspot/mapping'
import { listResponseSchema } from '../../lib/crm/adapters/hubspot/schemas'
import { CrmError } from '../../lib/crm/errors'
import { control, testSandbox } from '../helpers/sandbox'

// The read path calls HubSpot through the SDK's apiRequest, which resolves with the
// response whatever its status: these pin that every failure still maps to the retry
// taxonomy the typed SDK calls had (429 / daily limit / 5xx / truncated / 401 refresh).
describe('the HubSpot adapter\'s read path', () => {
  it('reads list pages, searches, batch reads and associations into remote records', async () => {
    const sandbox = await testSandbox({ contacts: 150, companies: 20, owners: 2, seed: 31 })
    const adapter = createHubSpotAdapter({ basePath: sandbox.url, getAccessToken: async () => sandbox.token, perTenSeconds: 1000 })
    const first = await adapter.listPage('contact', null)
    expect(first.records).toHaveLength(100)
    expect(first.next).not.toBeNull()
    const second = await adapter.listPage('contact', first.next)
    expect(second.records).toHaveLength(50)
    expect(second.next).toBeNull()
    // The same records the SDK's typed getPage gives.
    const sdk = new Client({ basePath: sandbox.url, accessToken: sandbox.token })
    const typed = await sdk.crm.objects.basicApi.getPage('contacts', 100, undefined, propertiesFor('contact'), undefined, ['companies'], false)
    expect(first.records).toEqual(listResponseSchema.parse(typed).results.map((o) => toRemoteRecord('contact', o, true, [])))
    expect(first.records.some((x) => x.associations?.companyRemoteId)).toBe(true)
    const r = first.records.find((x) => x.associations?.companyRemoteId)!

    const found = await adapter.searchModifiedSince('contact', new Date(0), null)
    expect(found.total).toBe(150)
    const read = await adapter.readBatch('contact', [r.remoteId, '999999999'])
    expect(read.map((x) => x.remoteId)).toEqual([r.remoteId])
    expect(read[0].fields).toEqual(r.fields)
    expect(await adapter.readBatch('contact', ['999999998'])).toEqual([]) // all missing: a 404
    const loaded = read.map((x) => ({ ...x, associations: undefined }))
    await adapter.loadAssociations('contact', loaded)
    expect(loaded[0].associations).toEqual(r.associations)
    expect(await adapter.accountId()).toBe(String(sandbox.portalId))
  })

  it('a burst 429 waits for the window and is retried', async () => {
    const sandbox = await testSandbox({ contacts: 10, owners: 1, seed: 32, tier: 'free' })
    const slept: number[] = []
    const adapter = createHubSpotAdapter({
      basePath: sandbox.url, getAccessToken: async () => sandbox.token, perTenSeconds: 1000,
      sleep: async (ms) => { slept.push(ms); await control(sandbox, 'POST', '/clock', { advanceMs: ms }) },
    })
    // Another process with the same app has just spent the window. The adapter's gate keeps to
    // HubSpot's count once it has heard it, but its first call cannot know: it draws the
    // TEN_SECONDLY_ROLLING 429, waits 10 s, then lands.
    for (let i = 0; i < 100; i++) await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${sandbox.token}` } })
    await adapter.listPage('contact', null)
    expect(slept).toEqual([10_000])
    expect(adapter.apiCalls()).toBe(2)
  })

  it('5xx and truncated bodies are retried; a daily limit is not', async () => {
    const sandbox = await testSandbox({ contacts: 10, owners: 1, seed: 33 })
    const slept: number[] = []
    const adapter = createHubSpotAdapter({ basePath: sandbox.url, getAccessToken: async () => sandbox.token, perTenSeconds: 1000,
      attempts: 3, sleep: async (ms) => { slept.push(ms) } })
    await control(sandbox, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'server_error', rate: 1, status: 503 }] })
    await expect(adapter.listPage('contact', null)).rejects.toMatchObject({ type: 'transient', httpStatus: 503 })
    expect(slept).toHaveLength(2)
    await control(sandbox, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'truncate', rate: 1 }] })
    await expect(adapter.searchModifiedSince('contact', new Date(0), null)).rejects.toMatchObject({ type: 'transient' })
    await control(sandbox, 'DELETE', '/faults')

    await control(sandbox, 'PATCH', '/config', { tier: 'pro' })
    sandbox.state.limiter.setDailyCount(625_000)
    const before = adapter.apiCalls()
    const err = await adapter.listPage('contact', null).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CrmError)
    expect(err).toMatchObject({ type: 'daily_limit', httpStatus: 429 })
    expect(adapter.apiCalls() - before).toBe(1)
  })

  it('a 401 refreshes the token once and retries; a second 401 is auth_expired', async () => {
    const sandbox = await testSandbox({ contacts: 10, owners: 1, seed: 34 })
    let token = 'revoked-token'
    let refreshes = 0
    const adapter = createHubSpotAdapter({
      basePath: sandbox.url, perTenSeconds: 1000, sleep: async () => {},
      getAccessToken: async () => token,
      refreshAccessToken: async () => { refreshes++; token = sandbox.token; return token },
    })
    expect((await adapter.listPage('contact', null)).records).toHaveLength(10)
    expect(refreshes).toBe(1)

    const never = createHubSpotAdapter({ basePath: sandbox.url, perTenSeconds: 1000, sleep: async () => {},
      getAccessToken: async () => 'revoked-token', refreshAccessToken: async () => 'still-revoked' })
    await expect(never.readBatch('contact', ['1'])).rejects.toMatchObject({ type: 'auth_expired', httpStatus: 401 })
  })
})
