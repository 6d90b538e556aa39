import { Signature } from '@hubspot/api-client'
import { describe, expect, it } from 'vitest'
import { decodeUriForV3, MAX_AGE_MS, publicUri, signV3, verifyHubSpotSignature } from '../../lib/crm/webhooks/hubspot/verify'

// Vectors: /work/shared/reference/hubspot-api.md §3.5 (secret yyyyyyyy-..., HubSpot's own
// v1 example body; the v3 ones are self-computed there, HubSpot publishes none).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy'
const URI = 'https://www.example.com/webhook_uri'
const V1_BODY = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'
const EXAMPLE_BODY = '{"example_field":"example_value"}'
const TS = 1564113600000

const headers = (h: Record<string, string>) => new Headers(h)
const v3 = (signature: string, timestamp: number | string = TS) => headers({ 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) })
const at = (ms: number) => () => ms
const opts = { clientSecret: SECRET, allowV1: false, now: at(TS + 1_000) }

describe('HubSpot webhook signatures', () => {
  it('v3 matches the reference vectors', () => {
    expect(signV3(SECRET, 'POST', URI, EXAMPLE_BODY, TS)).toBe('eT0ip2TKVpsIi1vb5C2Uu42eNdHL+oTE3NRZOF67O2U=')
    expect(signV3(SECRET, 'POST', URI, V1_BODY, TS)).toBe('DxmVAjFNa2xfF3YgQjdZP6TNcok9k1oaH7UXombPtvw=')
    const ok = verifyHubSpotSignature({ method: 'POST', uri: URI, rawBody: V1_BODY, headers: v3('DxmVAjFNa2xfF3YgQjdZP6TNcok9k1oaH7UXombPtvw=') }, opts)
    expect(ok).toEqual({ ok: true, version: 'v3' })
  })

  it('v3 agrees with the SDK Signature helper on what it signs', () => {
    const now = Date.now()
    const uri = 'https://app.example.com/api/webhooks/hubspot?tenant=a'
    const ours = signV3(SECRET, 'POST', uri, V1_BODY, now)
    expect(Signature.isValid({ signature: ours, clientSecret: SECRET, requestBody: V1_BODY, signatureVersion: 'v3', url: uri, method: 'POST', timestamp: now })).toBe(true)
    const sdk = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: SECRET, requestBody: V1_BODY, url: uri, timestamp: now })
    expect(verifyHubSpotSignature({ method: 'POST', uri, rawBody: V1_BODY, headers: v3(sdk, now) }, { ...opts, now: at(now) }).ok).toBe(true)
  })

  it('a forged signature, a changed body and a wrong secret are refused', () => {
    const good = signV3(SECRET, 'POST', URI, V1_BODY, TS)
    expect(verifyHubSpotSignature({ method: 'POST', uri: URI, rawBody: V1_BODY, headers: v3('AAAA' + good.slice(4)) }, opts)).toEqual({ ok: false, error: 'bad-signature' })
    expect(verifyHubSpotSignature({ method: 'POST', uri: URI, rawBody: V1_BODY.replace('123', '124'), headers: v3(good) }, opts)).toEqual({ ok: false, error: 'bad-signature' })
    expect(verifyHubSpotSignature({ method: 'POST', uri: URI, rawBody: V1_BODY, headers: v3(good) }, { ...opts, clientSecret: 'other' }).ok).toBe(false)
    expect(verifyHubSpotSignature({ method: 'POST', uri: URI + '?x=1', rawBody: V1_BODY, headers: v3(good) }, opts).ok).toBe(false)
    expect(verifyHubSpotSignature({ method: 'POST', uri: URI, rawBody: V1_BODY, headers: v3('short') }, opts).ok).toBe(false)
  })

  it('timestamps older than 5 minutes or far in the future are refused', () => {
    const sig = signV3(SECRET, 'POST', URI, V1_BODY, TS)
    const req = { method: 'POST', uri: URI, rawBody: V1_BODY, headers: v3(sig) }
    expect(verifyHubSpotSignature(req, { ...opts, now: at(TS + MAX_AGE_MS) }).ok).toBe(true)
    expect(verifyHubSpotSignature(req, { ...opts, now: at(TS + MAX_AGE_MS + 1) })).toEqual({ ok: false, error: 'stale-timestamp' })
    expect(verifyHubSpotSignature(req, { ...opts, now: at(TS - 10 * 60_000) })).toEqual({ ok: false, error: 'future-timestamp' })
    expect(verifyHubSpotSignature({ ...req, headers: v3(sig, 'yesterday') }, opts)).toEqual({ ok: false, error: 'bad-timestamp' })
  })

  it('decodes exactly the sequences HubSpot lists, nothing else', () => {
    expect(decodeUriForV3('https://x.io/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm')).toBe("https://x.io/a:b/c?d@e!f$g'h(i)j*k,l;m")
    expect(decodeUriForV3('https://x.io/a%20b%2a%3d')).toBe('https://x.io/a%20b*%3d')
    const encoded = 'https://x.io/hook?redirect=https%3A%2F%2Fy.io%2Fz&q=a%20b'
    const sig = signV3(SECRET, 'POST', "https://x.io/hook?redirect=https://y.io/z&q=a%20b", EXAMPLE_BODY, TS)
    expect(verifyHubSpotSignature({ method: 'POST', uri: encoded, rawBody: EXAMPLE_BODY, headers: v3(sig) }, opts).ok).toBe(true)
  })

  it('v1 is accepted only when configured, and checked when it is', () => {
    const v1 = headers({ 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'x-hubspot-signature-version': 'v1' })
    const req = { method: 'POST', uri: URI, rawBody: V1_BODY, headers: v1 }
    expect(verifyHubSpotSignature(req, opts)).toEqual({ ok: false, error: 'v1-not-allowed' })
    expect(verifyHubSpotSignature(req, { ...opts, allowV1: true })).toEqual({ ok: true, version: 'v1' })
    expect(verifyHubSpotSignature({ ...req, rawBody: V1_BODY + ' ' }, { ...opts, allowV1: true }).ok).toBe(false)
    expect(verifyHubSpotSignature({ ...req, headers: headers({}) }, { ...opts, allowV1: true })).toEqual({ ok: false, error: 'missing-signature' })
  })

  it('the signed URI is the public one: configured origin, request path and query', () => {
    expect(publicUri('http://10.0.0.7:3000/api/webhooks/hubspot?a=1', 'https://app.example.com/')).toBe('https://app.example.com/api/webhooks/hubspot?a=1')
  })
})
