import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

// https://developers.hubspot.com/docs/api/webhooks/validating-requests

// The body is signed as the bytes sent: a string is taken as its UTF-8.

/** v1: hex(sha256(clientSecret + body)). Sent on CRM webhooks with X-HubSpot-Signature-Version: v1. */
export const signV1 = (clientSecret: string, body: string | Buffer): string =>
  createHash('sha256').update(clientSecret, 'utf8').update(body).digest('hex')

/** v2: hex(sha256(clientSecret + method + uri + body)). */
export const signV2 = (clientSecret: string, method: string, uri: string, body: string): string =>
  createHash('sha256').update(clientSecret + method + uri + body, 'utf8').digest('hex')

// HubSpot decodes these sequences in the URI before signing v3.
const V3_DECODE: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
}
export const decodeUriForV3 = (uri: string): string => uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODE[m.toUpperCase()])

/** v3: base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)). */
export const signV3 = (clientSecret: string, method: string, uri: string, body: string | Buffer, timestamp: number | string): string =>
  createHmac('sha256', clientSecret).update(method + decodeUriForV3(uri), 'utf8').update(body).update(String(timestamp), 'utf8').digest('base64')

export const MAX_TIMESTAMP_AGE_MS = 5 * 60 * 1000

/** Verifies a v3 signature; stale (older than 5 minutes) timestamps fail. Returns a value, never throws. */
export function verifyV3(opts: { clientSecret: string; method: string; uri: string; body: string; signature: string; timestamp: number; now: number }): { ok: true } | { ok: false; error: 'stale-timestamp' | 'bad-signature' } {
  if (opts.now - opts.timestamp > MAX_TIMESTAMP_AGE_MS) return { ok: false, error: 'stale-timestamp' }
  const expected = Buffer.from(signV3(opts.clientSecret, opts.method, opts.uri, opts.body, opts.timestamp))
  const given = Buffer.from(opts.signature)
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, error: 'bad-signature' }
}
