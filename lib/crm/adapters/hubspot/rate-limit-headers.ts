import { z } from 'zod'
import type { CrmCount } from '../../others-in-window'

/** A response's headers as fetch gives them, or as the SDK's HttpInfo and ApiException carry them (a plain object). */
export type HeaderSource = { get(name: string): string | null } | Record<string, string> | undefined

const whole = z.string().trim().regex(/^\d{1,12}$/).transform(Number)

const burstHeaders = z
  .object({ max: whole.pipe(z.number().min(1)), remaining: whole, intervalMs: whole.pipe(z.number().min(1)) })
  .refine((h) => h.remaining <= h.max)

// https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
// Every answer but search's carries the app's burst bucket as HubSpot counts it, this call
// included: X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds (private apps: one
// bucket per app; public apps: one per installing account). Absent, repeated or garbled
// headers say nothing, and nothing is read from them.
export function burstCount(headers: HeaderSource): CrmCount | undefined {
  const parsed = burstHeaders.safeParse({
    max: header(headers, 'x-hubspot-ratelimit-max'),
    remaining: header(headers, 'x-hubspot-ratelimit-remaining'),
    intervalMs: header(headers, 'x-hubspot-ratelimit-interval-milliseconds'),
  })
  return parsed.success ? { remaining: parsed.data.remaining, intervalMs: parsed.data.intervalMs } : undefined
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined
  const record = headers as Record<string, unknown>
  for (const key in record) if (key.toLowerCase() === name && typeof record[key] === 'string') return record[key]
  return undefined
}
