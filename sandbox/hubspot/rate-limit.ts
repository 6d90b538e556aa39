import { randomUUID } from 'node:crypto'
import { HubSpotError } from './errors.js'
import type { Clock } from './clock.js'
import type { Tier } from './config.js'
import type { AuthInfo } from './auth.js'

// https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
// Private apps: own 10-second burst bucket each, one daily cap per account.
// Public OAuth apps: 110 per 10 s per installing account, no daily cap.
// Search: 5 requests per second per account, outside the 10-second bucket.
const BURST: Record<Exclude<Tier, 'off'>, number> = { free: 100, pro: 190, enterprise: 190 }
const DAILY: Record<Exclude<Tier, 'off'>, number> = { free: 250_000, pro: 625_000, enterprise: 1_000_000 }
export const OAUTH_BURST = 110
export const WINDOW_MS = 10_000
export const SEARCH_PER_SECOND = 5

export class RateLimiter {
  private windows = new Map<string, number[]>()
  private day = { key: '', count: 0 }

  constructor(private clock: Clock, private tier: () => Tier) {}

  reset(): void {
    this.windows.clear()
    this.day = { key: '', count: 0 }
  }

  /** Counts one call; returns the headers to send, or throws the 429 HubSpot would answer. */
  check(auth: AuthInfo, kind: 'standard' | 'search'): Record<string, string> {
    const tier = this.tier()
    if (tier === 'off') return {}
    const now = this.clock.now()
    const dailyCap = DAILY[tier]
    const today = new Date(now).toISOString().slice(0, 10) // resets at midnight (UTC here)
    if (this.day.key !== today) this.day = { key: today, count: 0 }

    if (auth.kind === 'private' && this.day.count >= dailyCap) {
      throw rateLimited({ message: 'You have reached your daily limit.', policyName: 'DAILY', requestId: randomUUID() }, this.headers(auth, tier, now))
    }
    if (kind === 'search') {
      const hits = this.hits(`search`, now, 1000)
      if (hits.length >= SEARCH_PER_SECOND) {
        // Message is the literal the SDK's RetryDecorator matches; the rest of the body is UNVERIFIED.
        throw rateLimited({ message: 'You have reached your secondly limit.' }, {})
      }
      hits.push(now)
      if (auth.kind === 'private') this.day.count++
      return {} // search responses carry no rate-limit headers
    }
    const max = auth.kind === 'oauth' ? OAUTH_BURST : BURST[tier]
    const hits = this.hits(auth.bucket, now, WINDOW_MS)
    if (hits.length >= max) {
      throw rateLimited(
        { message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING' },
        this.headers(auth, tier, now),
      )
    }
    hits.push(now)
    if (auth.kind === 'private') this.day.count++
    return this.headers(auth, tier, now)
  }

  private hits(key: string, now: number, windowMs: number): number[] {
    let hits = this.windows.get(key)
    if (!hits) this.windows.set(key, (hits = []))
    let drop = 0
    while (drop < hits.length && hits[drop] <= now - windowMs) drop++
    if (drop) hits.splice(0, drop)
    return hits
  }

  private headers(auth: AuthInfo, tier: Exclude<Tier, 'off'>, now: number): Record<string, string> {
    const max = auth.kind === 'oauth' ? OAUTH_BURST : BURST[tier]
    const hits = this.hits(auth.bucket, now, WINDOW_MS)
    const secondly = Math.ceil(max / 10)
    const lastSecond = hits.filter((t) => t > now - 1000).length
    const h: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(WINDOW_MS),
      'X-HubSpot-RateLimit-Max': String(max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, max - hits.length)),
      // Deprecated and not enforced by HubSpot, but still sent.
      'X-HubSpot-RateLimit-Secondly': String(secondly),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, secondly - lastSecond)),
    }
    // OAuth calls have no daily limit and so no daily headers.
    if (auth.kind === 'private') {
      h['X-HubSpot-RateLimit-Daily'] = String(DAILY[tier])
      h['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, DAILY[tier] - this.day.count))
    }
    return h
  }

  /** Test hook: pretend `n` calls already happened today. */
  setDailyCount(n: number): void {
    this.day = { key: new Date(this.clock.now()).toISOString().slice(0, 10), count: n }
  }
}

function rateLimited(fields: Record<string, unknown>, headers: Record<string, string>): HubSpotError {
  return new HubSpotError(429, 'RATE_LIMIT', String(fields.message), {
    body: { status: 'error', message: fields.message, errorType: 'RATE_LIMIT', ...fields },
    headers,
  })
}
