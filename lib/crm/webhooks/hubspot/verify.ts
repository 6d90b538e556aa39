import { createHash, createHmac } from 'node:crypto'
import { sameSecret } from '../../../secrets'

// HubSpot signs every webhook request; this checks it before anything is parsed or stored.
// https://developers.hubspot.com/docs/api/webhooks/validating-requests
// Unlike the SDK's `Signature.isValid`, this returns a value (never throws), compares in
// constant time, decodes the URI as HubSpot does, and also refuses far-future timestamps.

export type VerifyError = 'missing-signature' | 'bad-timestamp' | 'stale-timestamp' | 'future-timestamp' | 'bad-signature' | 'v1-not-allowed'
export type VerifyResult = { ok: true; version: 'v3' | 'v1' } | { ok: false; error: VerifyError }

/** "Reject the request if the timestamp is older than 5 minutes." */
export const MAX_AGE_MS = 5 * 60_000
/** Clock skew tolerated the other way; HubSpot says nothing, a replay window must not open forward. */
export const MAX_FUTURE_MS = 60_000

export interface SignedRequest {
  method: string
  /** The full URI HubSpot called: https://host/path?query (see `publicUri`). */
  uri: string
  /** The body as received: HubSpot signs its bytes (a string is taken as UTF-8). */
  rawBody: Buffer | string
  /** Header values, lower-case names. */
  headers: { get(name: string): string | null }
}

export interface VerifyOptions {
  clientSecret: string
  allowV1: boolean
  now?: () => number
}

// Only these sequences are decoded before signing v3 ("URL-decode the following
// characters"); every other escape stays as sent.
const V3_DECODE: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
}
export function decodeUriForV3(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODE[m.toUpperCase()])
}

export function signV3(secret: string, method: string, uri: string, body: Buffer | string, timestamp: string | number): string {
  // The four parts hashed in turn: the same digest as over their concatenation, without copying the body.
  return createHmac('sha256', secret).update(method + decodeUriForV3(uri), 'utf8').update(body).update(String(timestamp), 'utf8').digest('base64')
}

export function signV1(secret: string, body: Buffer | string): string {
  return createHash('sha256').update(secret, 'utf8').update(body).digest('hex')
}

export function verifyHubSpotSignature(req: SignedRequest, opts: VerifyOptions): VerifyResult {
  const v3 = req.headers.get('x-hubspot-signature-v3')
  if (v3) {
    const raw = req.headers.get('x-hubspot-request-timestamp') ?? ''
    if (!/^\d{1,16}$/.test(raw)) return { ok: false, error: 'bad-timestamp' }
    const timestamp = Number(raw)
    const now = (opts.now ?? Date.now)()
    if (now - timestamp > MAX_AGE_MS) return { ok: false, error: 'stale-timestamp' }
    if (timestamp - now > MAX_FUTURE_MS) return { ok: false, error: 'future-timestamp' }
    const expected = signV3(opts.clientSecret, req.method.toUpperCase(), req.uri, req.rawBody, raw)
    return sameSecret(expected, v3) ? { ok: true, version: 'v3' } : { ok: false, error: 'bad-signature' }
  }
  const v1 = req.headers.get('x-hubspot-signature')
  if (!v1) return { ok: false, error: 'missing-signature' }
  // v1 carries no timestamp, so a captured request replays forever: off unless configured.
  if (!opts.allowV1) return { ok: false, error: 'v1-not-allowed' }
  if ((req.headers.get('x-hubspot-signature-version') ?? 'v1') !== 'v1') return { ok: false, error: 'bad-signature' }
  return sameSecret(signV1(opts.clientSecret, req.rawBody), v1.toLowerCase()) ? { ok: true, version: 'v1' } : { ok: false, error: 'bad-signature' }
}

/**
 * The URI HubSpot signed. Behind Vercel's or any proxy `req.url` may carry an internal host
 * or scheme, so the public origin comes from configuration (APP_URL, or an explicit base)
 * and only path + query are taken from the request.
 */
export function publicUri(requestUrl: string, publicBase: string): string {
  const u = new URL(requestUrl)
  return publicBase.replace(/\/+$/, '') + u.pathname + u.search
}
