import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { apiError, raw, sdk, startSandbox } from './helpers.js'
import { Client } from '@hubspot/api-client'

let sb: HubSpotSandbox | undefined
afterEach(async () => {
  await sb?.close()
  sb = undefined
})

const REDIRECT = 'http://localhost:3000/api/oauth/callback'

/** Walks the consent screen as a person would: load the page, press "Connect app". */
async function consent(s: HubSpotSandbox, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const q = new URLSearchParams({ client_id: s.clientId, redirect_uri: REDIRECT, scope: 'oauth crm.objects.contacts.read', state: 'xyz' })
  const page = await fetch(`${s.url}/oauth/authorize?${q}`)
  const html = await page.text()
  expect(html).toContain('Connect app')
  const form = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]))
  form.set('decision', decision)
  const res = await fetch(`${s.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location')!)
}

describe('OAuth', () => {
  it('redirects from the consent page with code and state, and the SDK exchanges the code for tokens', async () => {
    sb = await startSandbox()
    const back = await consent(sb)
    expect(back.origin + back.pathname).toBe(REDIRECT)
    expect(back.searchParams.get('state')).toBe('xyz')
    const code = back.searchParams.get('code')!
    const tokens = await sdk(sb).oauth.tokensApi.create('authorization_code', code, REDIRECT, sb.clientId, sb.clientSecret)
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 1800 })
    const client = new Client({ accessToken: tokens.accessToken, basePath: sb.url })
    expect((await client.crm.contacts.basicApi.getPage(1)).results).toEqual([])
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken)
    expect(info.hubId).toBe(sb.portalId)
    expect(info.appId).toBe(sb.appId)
  })

  it("a token without a call's scope is answered 403 MISSING_SCOPES, naming the scopes that would do", async () => {
    sb = await startSandbox()
    const code = (await consent(sb)).searchParams.get('code')!
    const tokens = await sdk(sb).oauth.tokensApi.create('authorization_code', code, REDIRECT, sb.clientId, sb.clientSecret)
    // Granted crm.objects.contacts.read only: reading contacts' properties is allowed by it, creating one is not.
    const headers = { Authorization: `Bearer ${tokens.accessToken}`, 'Content-Type': 'application/json' }
    expect((await fetch(`${sb.url}/crm/v3/properties/contacts`, { headers })).status).toBe(200)
    expect((await fetch(`${sb.url}/crm/v3/properties/deals`, { headers })).status).toBe(403)
    const res = await fetch(`${sb.url}/crm/v3/properties/contacts`, {
      method: 'POST', headers, body: JSON.stringify({ name: 'tier', label: 'Tier', type: 'string', fieldType: 'text', groupName: 'contactinformation' }),
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({
      status: 'error', category: 'MISSING_SCOPES', links: { scopes: 'https://developers.hubspot.com/scopes' },
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.schemas.contacts.write'] } }],
    })
    // Objects, associations and owners go by the same rule: reading contacts is granted, nothing else.
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${sb!.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      return r.status === 403 ? (await r.json()).errors[0].context.requiredGranularScopes : r.status
    }
    expect(await call('GET', '/crm/v3/objects/contacts?limit=1')).toBe(200)
    expect(await call('POST', '/crm/v3/objects/contacts/search', { limit: 1 })).toBe(200)
    expect(typeof await call('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: '1' }], properties: [] })).toBe('number') // not a 403
    expect(await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'x@example.com' } })).toEqual(['crm.objects.contacts.write'])
    expect(await call('GET', '/crm/v3/objects/deals?limit=1')).toEqual(['crm.objects.deals.read'])
    expect(await call('POST', '/crm/v4/associations/companies/contacts/batch/read', { inputs: [] })).toEqual(['crm.objects.companies.read'])
    expect(await call('GET', '/crm/v3/owners')).toEqual(['crm.objects.owners.read'])
  })

  it('redirects with error=access_denied when the person cancels', async () => {
    sb = await startSandbox()
    const back = await consent(sb, 'deny')
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('xyz')
  })

  it('answers the code exchange with hub_id and rejects a reused code with 400 invalid_grant', async () => {
    sb = await startSandbox()
    const code = (await consent(sb)).searchParams.get('code')!
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: sb.clientId, client_secret: sb.clientSecret })
    const first = await fetch(`${sb.url}/oauth/v1/token`, { method: 'POST', body })
    expect(first.status).toBe(200)
    // The SDK's TokenResponseIF drops hub_id; the raw body carries it.
    expect(await first.json()).toMatchObject({ token_type: 'bearer', expires_in: 1800, hub_id: sb.portalId })
    const again = await fetch(`${sb.url}/oauth/v1/token`, { method: 'POST', body })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', status: 'BAD_AUTH_CODE' })
  })

  it('expires access tokens after 30 minutes with 401 EXPIRED_AUTHENTICATION; refreshing gives a working token', async () => {
    const clock = new ManualClock()
    sb = await startSandbox({ clock })
    const code = (await consent(sb)).searchParams.get('code')!
    const tokens = await sdk(sb).oauth.tokensApi.create('authorization_code', code, REDIRECT, sb.clientId, sb.clientSecret)
    clock.advance(1800 * 1000 + 5000)
    const expired = await raw(sb, 'GET', '/crm/v3/objects/contacts', undefined, tokens.accessToken)
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired 5 second(s) ago.' })
    const refreshed = await sdk(sb).oauth.tokensApi.create('refresh_token', undefined, undefined, sb.clientId, sb.clientSecret, tokens.refreshToken)
    expect(refreshed.refreshToken).toBe(tokens.refreshToken)
    expect((await raw(sb, 'GET', '/crm/v3/objects/contacts', undefined, refreshed.accessToken)).status).toBe(200)
  })

  it('answers a revoked refresh token with 400 BAD_REFRESH_TOKEN', async () => {
    sb = await startSandbox()
    const code = (await consent(sb)).searchParams.get('code')!
    const tokens = await sdk(sb).oauth.tokensApi.create('authorization_code', code, REDIRECT, sb.clientId, sb.clientSecret)
    expect((await raw(sb, 'GET', `/oauth/v1/refresh-tokens/${tokens.refreshToken}`, undefined, null)).body.hub_id).toBe(sb.portalId)
    expect((await raw(sb, 'DELETE', `/oauth/v1/refresh-tokens/${tokens.refreshToken}`, undefined, null)).status).toBe(204)
    const err = await apiError(sdk(sb).oauth.tokensApi.create('refresh_token', undefined, undefined, sb.clientId, sb.clientSecret, tokens.refreshToken))
    expect(err.code).toBe(400)
    expect(err.body).toMatchObject({ error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN', message: 'refresh token is invalid, expired or revoked' })
  })

  it('answers an unknown token with 401 INVALID_AUTHENTICATION and the x-hubspot-auth-failure header', async () => {
    sb = await startSandbox()
    const res = await raw(sb, 'GET', '/crm/v3/objects/contacts', undefined, 'nope')
    expect(res.status).toBe(401)
    expect(res.body.category).toBe('INVALID_AUTHENTICATION')
    expect(res.headers.get('x-hubspot-auth-failure')).toBe('401 Unauthorized')
    expect((await raw(sb, 'GET', '/crm/v3/objects/contacts', undefined, null)).status).toBe(401)
  })
})
