import { beforeAll, describe, expect, it } from 'vitest'
import { POST as connect } from '../../app/api/crm/connect/route'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { POST as disconnect } from '../../app/api/crm/disconnect/route'
import { POST as importLeads } from '../../app/api/crm/import/route'
import { POST as nangoConnected } from '../../app/api/crm/nango/connected/route'
import { GET as oauthCallback } from '../../app/api/crm/oauth/callback/route'
import { POST as sync } from '../../app/api/crm/sync/route'
import { POST as nangoWebhook } from '../../app/api/webhooks/nango/route'
import { resetEnvCache } from '../../lib/env'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { APP_URL, jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 5, owners: 1, seed: 9 })
useAppEnv(sandbox)

const big = (bytes: number) => JSON.stringify({ method: 'oauth', pad: 'x'.repeat(bytes) })
const resolveCall = (id: string, body: unknown) => resolve(jsonRequest(`/api/crm/conflicts/${id}/resolve`, body), { params: Promise.resolve({ id }) })
const plain = (path: string, body: string) => new Request(`${APP_URL}${path}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })

/** Disconnect the workspace's live connection, as a page at `origin` would ask: refused, it stays connected. */
const disconnectCall = async (headers: Record<string, string>) => {
  const [c] = await sql`select id from crm_connections where tenant_id = ${LOCAL_TENANT_ID} and status <> 'disconnected' limit 1`
  return disconnect(jsonRequest('/api/crm/disconnect', { connectionId: c.id }, { headers }))
}

type Case = [name: string, call: () => Promise<Response>, status: number, message: RegExp]

const cases: Case[] = [
  ['connect: malformed JSON', () => connect(jsonRequest('/api/crm/connect', '{"method":')), 400, /not valid JSON/],
  ['connect: not JSON at all', () => connect(plain('/api/crm/connect', 'method=oauth')), 415, /application\/json/],
  ['connect: oversized body', () => connect(jsonRequest('/api/crm/connect', big(10_000))), 413, /Body over/],
  ['connect: unknown method', () => connect(jsonRequest('/api/crm/connect', { method: 'ftp' })), 400, /method must be one of/],
  ['connect: token of the wrong type', () => connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: 12345678 })), 400, /token/],
  ['connect: an unexpected field', () => connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: 'pat-123456789', baseUrl: 'http://evil' })), 400, /baseUrl|Unrecognized/i],
  ['connect: a token copied across a line break', () => connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: 'pat-na1-1234abcd\nefgh-5678' })), 400, /token must be one line/],
  ['connect: a token with a space inside', () => connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: 'pat-na1 1234abcd' })), 400, /token must be one line/],
  ['nango connected: on a server without NANGO_SECRET_KEY', () => nangoConnected(jsonRequest('/api/crm/nango/connected', { connectionId: 'c-1', providerConfigKey: 'hubspot' })), 400, /^Nango is not configured on this server: set NANGO_SECRET_KEY$/],
  ['nango connected: a NUL in an id', () => nangoConnected(jsonRequest('/api/crm/nango/connected', { connectionId: 'c\u00001', providerConfigKey: 'hubspot' })), 400, /connectionId: must be one line/],
  ['sync: sent from another site (Origin)', () => sync(jsonRequest('/api/crm/sync', {}, { headers: { origin: 'https://evil.example' } })), 403, /not accepted/],
  ['disconnect: sent from a sibling subdomain (Origin)', () => disconnectCall({ origin: 'https://blog.app.test' }), 403, /not accepted/],
  ['connect: a JSON array', () => connect(jsonRequest('/api/crm/connect', [1, 2])), 400, /method/],
  ['connect: Nango on a server without NANGO_SECRET_KEY', () => connect(jsonRequest('/api/crm/connect', { method: 'nango' })), 400, /^Nango is not configured on this server: set NANGO_SECRET_KEY$/],
  ['nango connected: ids missing', () => nangoConnected(jsonRequest('/api/crm/nango/connected', { connectionId: 'x' })), 400, /providerConfigKey/],
  ['nango connected: ids of the wrong type', () => nangoConnected(jsonRequest('/api/crm/nango/connected', { connectionId: 1, providerConfigKey: true })), 400, /connectionId/],
  ['sync: connectionId not a UUID', () => sync(jsonRequest('/api/crm/sync', { connectionId: 'abc' })), 400, /connectionId must be a UUID/],
  ['sync: full not a boolean', () => sync(jsonRequest('/api/crm/sync', { full: 'yes' })), 400, /full/],
  ['sync: an unknown object type: the plural names offered', () => sync(jsonRequest('/api/crm/sync', { objects: ['tickets'] })), 400, /^objects: unknown object type "tickets": expected owners, companies, contacts, deals$/],
  ['sync: an unknown connection', () => sync(jsonRequest('/api/crm/sync', { connectionId: '3f1f8b9e-5d8a-4a53-9c1e-0a4b7b0c9d11' })), 404, /No such connection/],
  ['import: an object instead of an array', () => importLeads(jsonRequest('/api/crm/import', { email: 'a@b.co' })), 400, /^send a JSON array of contacts, such as \[\{ "email": "ada@example.com" \}\]$/],
  ['import: an empty body (was "expected array, received object")', () => importLeads(jsonRequest('/api/crm/import', '')), 400, /^send a JSON array of contacts/],
  ['import: an empty array', () => importLeads(jsonRequest('/api/crm/import', [])), 400, /at least one contact/],
  ['import: over 1000 contacts', () => importLeads(jsonRequest('/api/crm/import', Array.from({ length: 1001 }, (_, i) => ({ email: `p${i}@example.com` })))), 400, /at most 1000/],
  ['import: over 1 MB', () => importLeads(jsonRequest('/api/crm/import', [{ description: 'x'.repeat(1_100_000) }])), 413, /Body over/],
  ['import: a field of the wrong type', () => importLeads(jsonRequest('/api/crm/import', [{ email: 42 }])), 400, /^contact 0: Email: Invalid input: expected string, received number$/],
  ['import: an unknown field', () => importLeads(jsonRequest('/api/crm/import', [{ email: 'a@example.com', password: 'x' }])), 400, /password|Unrecognized/i],
  ['import: one bad email rejects the whole batch', () => importLeads(jsonRequest('/api/crm/import', [{ email: 'ok@example.com' }, { email: 'not-an-email' }])), 400, /contact 1: email/],
  ['import: a NUL character in a field', () => importLeads(jsonRequest('/api/crm/import', [{ email: 'nul@example.com', companyName: 'Acme\u0000' }])), 400, /contact 0: Company: must not contain a NUL character/],
  ['import: a lone surrogate (JSON "\\udc00" without its pair) in a name', () => importLeads(jsonRequest('/api/crm/import', '[{"email":"s@example.com","lastName":"B\\udc00"}]')), 400, /contact 0: Last name: must not contain a lone surrogate/],
  ['import: a value too long, named by its label and row', () => importLeads(jsonRequest('/api/crm/import', [{ email: 'ok@example.com' }, { email: 'long@example.com', jobTitle: 'x'.repeat(201) }])), 400, /^contact 1: Job title: at most 200 characters$/],
  ['import: an email HubSpot refuses (non-ASCII before the @)', () => importLeads(jsonRequest('/api/crm/import', [{ email: 'ok@example.com' }, { email: 'Zoë@example.com' }])), 400, /^contact 1: email "Zoë@example.com" has "ë" before the @/],
  ['import: neither email nor phone', () => importLeads(jsonRequest('/api/crm/import', [{ firstName: 'Ada' }])), 400, /needs an email or a phone/],
  ['disconnect: no connectionId', () => disconnect(jsonRequest('/api/crm/disconnect', {})), 400, /connectionId/],
  ['disconnect: connectionId of the wrong type', () => disconnect(jsonRequest('/api/crm/disconnect', { connectionId: 7 })), 400, /connectionId/],
  ['resolve: id not a number (it is in the path, not the body)', () => resolveCall('abc', { choices: { email: 'local' } }), 400, /^path: conflict id must be a positive whole number$/],
  ['resolve: a negative id', () => resolveCall('-1', { choices: { email: 'local' } }), 400, /^path: conflict id must be a positive whole number$/],
  ['resolve: a 20-digit id (one message, not two)', () => resolveCall('12345678901234567890', { choices: { email: 'local' } }), 400, /^path: conflict id must be a positive whole number$/],
  ['resolve: an unknown choice', () => resolveCall('1', { choices: { email: 'both' } }), 400, /choices/],
  ['resolve: no choices', () => resolveCall('1', { choices: {} }), 400, /pick a value/],
  ['resolve: an unknown conflict', () => resolveCall('999999', { choices: { email: 'local' } }), 404, /no conflict/],
  ['nango webhook: oversized', () => nangoWebhook(new Request(`${APP_URL}/api/webhooks/nango`, { method: 'POST', body: 'x'.repeat(70_000) })), 413, /Body over/],
  ['nango webhook: unsigned', () => nangoWebhook(new Request(`${APP_URL}/api/webhooks/nango`, { method: 'POST', body: '{}' })), 401, /X-Nango-Hmac-Sha256/],
  ['oauth callback: no code or state', () => oauthCallback(new Request(`${APP_URL}/api/crm/oauth/callback`)), 303, /without a sign-in code/],
  ['oauth callback: refused in HubSpot, with a long description, in a browser that did not start it (our words; not "without a sign-in code")', () => oauthCallback(new Request(`${APP_URL}/api/crm/oauth/callback?error=access_denied&error_description=${encodeURIComponent('The user declined. ' + 'x'.repeat(600))}`)), 303, /^HubSpot did not grant access \(access_denied\)\. Start again with the Connect button\.$/],
  ['oauth callback: a state that is not ours', () => oauthCallback(new Request(`${APP_URL}/api/crm/oauth/callback?code=abc&state=forged.state`)), 303, /not one we issued/],
]

/** The message a refusal carries: the JSON error, or for the OAuth callback (a page a person lands on) the dashboard's banner. */
async function refusal(res: Response): Promise<string> {
  if (res.status === 303) return new URL(res.headers.get('location')!).searchParams.get('connect_error') ?? ''
  return (await res.json()).error.message
}

describe('every route refuses bad input with a 4xx (the OAuth callback: a redirect home), a clear message, and no change', () => {
  beforeAll(async () => {
    await resetLocalWorkspace(sql)
    await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID)
  })

  it.each(cases)('%s', async (_name, call, status, message) => {
    const before = await snapshot(sql)
    const res = await call()
    expect(res.status).toBe(status)
    expect(await refusal(res)).toMatch(message)
    expect(await snapshot(sql)).toEqual(before)
  })
})

describe('a connect method this server is not set up for', () => {
  it('OAuth without HUBSPOT_CLIENT_ID is a 400 naming what to set, with no cookie (like Nango without NANGO_SECRET_KEY)', async () => {
    const saved = process.env.HUBSPOT_CLIENT_ID
    delete process.env.HUBSPOT_CLIENT_ID
    resetEnvCache()
    try {
      const res = await connect(jsonRequest('/api/crm/connect', { method: 'oauth' }))
      expect(res.status).toBe(400)
      expect((await res.json()).error).toEqual({ code: 'not_configured', message: 'HubSpot OAuth is not configured on this server: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET' })
      expect(res.headers.get('set-cookie')).toBeNull()
    } finally {
      process.env.HUBSPOT_CLIENT_ID = saved
      resetEnvCache()
    }
  })
})
