import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { apiError, raw, sdk, startSandbox } from './helpers.js'

let sb: HubSpotSandbox | undefined
afterEach(async () => {
  await sb?.close()
  sb = undefined
})

const get = (s: HubSpotSandbox, token?: string) => raw(s, 'GET', '/crm/v3/objects/contacts?limit=1', undefined, token ?? s.token)
const searchCall = (s: HubSpotSandbox) => raw(s, 'POST', '/crm/v3/objects/contacts/search', { limit: 1 })

describe('rate limits', () => {
  it('answers the 101st call in 10 seconds on the free tier with 429 TEN_SECONDLY_ROLLING, with headers counting down', async () => {
    const clock = new ManualClock()
    sb = await startSandbox({ tier: 'free', clock })
    const first = await get(sb)
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('100')
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('99')
    expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000')
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('250000')
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('249999')
    let last = first
    for (let i = 2; i <= 100; i++) {
      clock.advance(10)
      last = await get(sb)
      expect(last.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(100 - i))
    }
    expect(last.status).toBe(200)
    const limited = await get(sb)
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.' })
    expect(limited.body.correlationId).toBeDefined()
    // The window rolls: once the first call is 10 s old, one slot frees up.
    clock.advance(10_000 - 990)
    const again = await get(sb)
    expect(again.status).toBe(200)
    expect(again.headers.get('x-hubspot-ratelimit-remaining')).toBe('0')
  })

  it('surfaces the 429 body to the SDK so its retry decorator can match policyName', async () => {
    const clock = new ManualClock()
    sb = await startSandbox({ tier: 'free', clock })
    for (let i = 0; i < 100; i++) await get(sb)
    const err = await apiError(sdk(sb).crm.contacts.basicApi.getPage(1))
    expect(err.code).toBe(429)
    expect(err.body.policyName).toBe('TEN_SECONDLY_ROLLING')
  })

  it('gives each private app its own burst bucket on pro (190) while sharing the daily count', async () => {
    const clock = new ManualClock()
    sb = await startSandbox({ tier: 'pro', clock, tokens: ['second-app'] })
    for (let i = 0; i < 190; i++) await get(sb)
    expect((await get(sb)).status).toBe(429)
    const other = await get(sb, 'second-app')
    expect(other.status).toBe(200)
    expect(other.headers.get('x-hubspot-ratelimit-remaining')).toBe('189')
    expect(other.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe(String(625_000 - 191))
  })

  it('answers 429 DAILY once the account has used its daily calls', async () => {
    sb = await startSandbox({ tier: 'enterprise', clock: new ManualClock() })
    sb.state.limiter.setDailyCount(1_000_000)
    const res = await get(sb)
    expect(res.status).toBe(429)
    expect(res.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT' })
  })

  it('limits search to 5 per second outside the 10-second bucket, without rate-limit headers', async () => {
    const clock = new ManualClock()
    sb = await startSandbox({ tier: 'free', clock })
    for (let i = 0; i < 5; i++) {
      const r = await searchCall(sb)
      expect(r.status).toBe(200)
      expect(r.headers.get('x-hubspot-ratelimit-remaining')).toBeNull()
    }
    const limited = await searchCall(sb)
    expect(limited.status).toBe(429)
    expect(limited.body.message).toBe('You have reached your secondly limit.')
    expect((await get(sb)).headers.get('x-hubspot-ratelimit-remaining')).toBe('99')
    clock.advance(1000)
    expect((await searchCall(sb)).status).toBe(200)
  })

  it('limits OAuth apps to 110 per 10 seconds without daily headers', async () => {
    const clock = new ManualClock()
    sb = await startSandbox({ tier: 'free', clock })
    const at = sb.state.auth.issueAccessToken({ clientId: sb.clientId, appId: sb.appId, scopes: [], userId: 1, userEmail: 'a@b.c', refreshToken: 'r' }, 1800)
    const first = await get(sb, at.token)
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('110')
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBeNull()
    for (let i = 1; i < 110; i++) await get(sb, at.token)
    expect((await get(sb, at.token)).status).toBe(429)
  })

  it("tier 'off' never limits and sends no rate-limit headers", async () => {
    sb = await startSandbox({ tier: 'off' })
    for (let i = 0; i < 120; i++) expect((await get(sb)).status).toBe(200)
    expect((await get(sb)).headers.get('x-hubspot-ratelimit-max')).toBeNull()
  })
})
