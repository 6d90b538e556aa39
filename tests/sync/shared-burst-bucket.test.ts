import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { HubSpotApi } from '../../lib/crm/adapters/hubspot/client'
import { control, testSandbox } from '../helpers/sandbox'

interface SandboxStats {
  total: number
  answered: Record<string, number>
  refusals: Array<{ at: number; call: string; status: number }>
}

/**
 * Two processes calling HubSpot with the same private app (the hourly sync in one function,
 * the push or a webhook's fetch in another) share one burst bucket: 100 calls per 10 s on
 * the free tier, counted by the sandbox as HubSpot counts it. Each client's gate is set to
 * the whole 100, as every process's is; only the headers tell one of the other's calls.
 * One client reads through the JSON path, the other through a typed SDK API (owners), so
 * both ways of reading the headers are exercised. Without them the pair drew 200 429s for
 * 300 calls. A few can remain: when both send into the window's last slots at once, neither
 * call counted yet, neither client can see the other's (1 to 4 in the runs here).
 */
describe('two processes sharing a private app\'s burst bucket', () => {
  it('slow each other down instead of drawing 429s (all but a few)', async () => {
    const sandbox = await testSandbox({ contacts: 50, owners: 2, seed: 41, tier: 'free' })
    const client = () => new HubSpotApi({ basePath: sandbox.url, getAccessToken: async () => sandbox.token, perTenSeconds: 100 })
    const json = client()
    const typed = client()
    const calls = 150
    const started = performance.now()
    const t0 = Date.now()
    await Promise.all([
      ...Array.from({ length: calls }, () =>
        json.json('general', { method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: 1 } }, z.object({ results: z.array(z.unknown()) }), 'contacts')),
      ...Array.from({ length: calls }, () =>
        typed.call('general', (c) => c.crm.owners.ownersApi.getPageWithHttpInfo(undefined, undefined, 1, false))),
    ])
    const seconds = (performance.now() - started) / 1000
    const stats = await control<SandboxStats>(sandbox, 'GET', '/stats')
    const seen = `in ${seconds.toFixed(1)} s the sandbox answered ${JSON.stringify(stats.answered)}; refused at ${JSON.stringify(stats.refusals.map((r) => r.at - t0))} ms`
    expect(stats.refusals.length, seen).toBeLessThanOrEqual(10)
    expect(stats.answered[200], seen).toBe(2 * calls)
    expect(json.apiCalls() + typed.apiCalls(), seen).toBe(2 * calls + stats.refusals.length)
  }, 120_000)

  // [path, one call through it]
  const paths: Array<[string, (api: HubSpotApi) => Promise<unknown>]> = [
    ['the JSON path (apiRequest)', (api) => api.json('general', { method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: 1 } }, z.unknown(), 'contacts')],
    ['a typed SDK API (its ...WithHttpInfo method)', (api) => api.call('general', (c) => c.crm.owners.ownersApi.getPageWithHttpInfo(undefined, undefined, 1, false))],
  ]
  it.each(paths)('a process that finds the bucket nearly spent by another waits for it to drain: %s', async (_path, one) => {
    const sandbox = await testSandbox({ contacts: 5, owners: 2, seed: 42, tier: 'free' })
    // Another process has just made 95 calls with the same app.
    for (let i = 0; i < 95; i++) await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${sandbox.token}` } })
    const api = new HubSpotApi({ basePath: sandbox.url, getAccessToken: async () => sandbox.token, perTenSeconds: 100 })
    const started = performance.now()
    await Promise.all(Array.from({ length: 8 }, () => one(api)))
    const seconds = (performance.now() - started) / 1000
    const stats = await control<SandboxStats>(sandbox, 'GET', '/stats')
    // The first answer says 4 remain: 4 more go, the last 3 once the other's calls have left the window.
    expect(stats.refusals, `${JSON.stringify(stats.answered)} in ${seconds.toFixed(1)} s`).toEqual([])
    expect(seconds).toBeGreaterThan(5)
  }, 60_000)
})
