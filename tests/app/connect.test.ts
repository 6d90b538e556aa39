import { createHmac } from 'node:crypto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as connect } from '../../app/api/crm/connect/route'
import { GET as callback } from '../../app/api/crm/oauth/callback/route'
import { POST as disconnect } from '../../app/api/crm/disconnect/route'
import { GET as status } from '../../app/api/crm/status/route'
import { POST as nangoWebhook } from '../../app/api/webhooks/nango/route'
import { changeSettings } from '../../lib/crm/change-settings'
import { noticeToShow } from '../../lib/crm/connect-notice'
import { completeOAuth, startOAuth as startOAuthFor } from '../../lib/crm/oauth-flow'
import { resetEnvCache } from '../../lib/env'
import { runSync } from '../../lib/crm/sync-service'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { control, testSandbox } from '../helpers/sandbox'
import { APP_URL, jsonRequest, resetLocalWorkspace, snapshot, TEST_NANGO_WEBHOOK_SECRET, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 15, companies: 3, deals: 3, owners: 2, seed: 5 })
useAppEnv(sandbox)

beforeEach(() => resetLocalWorkspace(sql))

// Everything this file's routes log, to prove no token ever reaches a log line.
const logged: string[] = []
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level]
  vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
    logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    original(...args)
  })
}

/** Walks the sandbox consent page as a person would and returns where HubSpot sends the browser back. */
async function consent(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const html = await (await fetch(authorizeUrl)).text()
  const form = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]))
  form.set('decision', decision)
  const res = await fetch(`${sandbox.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' })
  return new URL(res.headers.get('location')!)
}

/** The callback's answer is a redirect home (never a JSON page): the banner's message. */
function connectError(res: Response): string | null {
  expect(res.status).toBe(303)
  const home = new URL(res.headers.get('location')!)
  expect(`${home.origin}${home.pathname}`).toBe(`${APP_URL}/`)
  expect(home.searchParams.has('connected')).toBe(false)
  return home.searchParams.get('connect_error')
}

async function startOAuth() {
  const res = await connect(jsonRequest('/api/crm/connect', { method: 'oauth' }))
  expect(res.status).toBe(200)
  const { url } = await res.json()
  const cookie = res.headers.get('set-cookie')!.split(';')[0]
  return { url: url as string, cookie }
}

describe('connecting a CRM', () => {
  it('OAuth: consent, code exchange, sealed tokens with expiry, portal learned, redirect home, initial sync runs', async () => {
    const { url, cookie } = await startOAuth()
    expect(cookie).toMatch(/^syncline_oauth_nonce=/)
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${APP_URL}/api/crm/oauth/callback`)
    const back = await consent(url)
    const res = await callback(new Request(back.toString(), { headers: { cookie } }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(new RegExp(`^${APP_URL}/\\?connected=`))
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    const [c] = await sql`select auth_method, portal_id, credentials_encrypted, token_expires_at, status from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    expect(c).toMatchObject({ auth_method: 'oauth', portal_id: String(sandbox.portalId), status: 'active' })
    expect(c.token_expires_at.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000)
    expect(c.credentials_encrypted).toMatch(/^v1\./)
    await backgroundSettled()
    const [n] = await sql`select count(*)::int as n from contacts where tenant_id = ${LOCAL_TENANT_ID}`
    expect(n.n).toBe(15)
    const runs = await sql`select distinct trigger from sync_runs where tenant_id = ${LOCAL_TENANT_ID}`
    expect(runs.map((r) => r.trigger)).toEqual(['initial'])
  })

  it('OAuth: the scopes asked for cover what a sync does: a lead made in the app is created in HubSpot, and extra properties are checked', async () => {
    const { url, cookie } = await startOAuth()
    expect(new URL(url).searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['crm.schemas.contacts.write', 'crm.objects.contacts.write']))
    await callback(new Request((await consent(url)).toString(), { headers: { cookie } }))
    await backgroundSettled()
    const [c] = await sql`select id from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    // Creating a record first makes sure HubSpot has Syncline's own properties: that needs the schema write scope.
    await sql`insert into contacts (tenant_id, email, first_name, source) values (${LOCAL_TENANT_ID}, 'made-in-app@example.com', 'Made', 'manual')`
    const summary = await runSync(sql, { connectionId: c.id, trigger: 'manual', objects: ['owner', 'contact'] })
    expect(summary.objects.contacts).toMatchObject({ status: 'success', pushed: 1 })
    // The other tests here count the portal's 15 contacts: this one goes again.
    const [made] = await sql`select l.remote_id from crm_links l join contacts t on t.id = l.local_id where t.email = 'made-in-app@example.com'`
    await control(sandbox, 'DELETE', `/rep/contacts/${made.remote_id}`)
    const updated = await changeSettings(sql, LOCAL_TENANT_ID, c.id, { extraProperties: { contact: ['city'] } })
    expect(updated?.settings).toMatchObject({ extraProperties: { contact: ['city'] } })
  })

  it("OAuth: another workspace's state is refused even with its browser's nonce cookie (one set from elsewhere), storing nothing, and its code is not spent", async () => {
    const other = await createTenant(sql, 'Another workspace')
    const { url, nonce } = startOAuthFor(other)
    const back = await consent(url)
    const before = await snapshot(sql)
    // The route acts for the signed-in workspace: here the local one (no Supabase Auth in tests).
    expect(connectError(await callback(new Request(back.toString(), { headers: { cookie: `syncline_oauth_nonce=${nonce}` } })))).toBe(
      'OAuth refused: the sign-in with HubSpot was started from another workspace than the one signed in here. Start again with the Connect button.')
    expect(await snapshot(sql)).toEqual(before)
    // Refused before the exchange: the workspace that started it can still finish it.
    const { connection } = await completeOAuth(sql, { code: back.searchParams.get('code')!, state: back.searchParams.get('state')!, nonce, tenantId: other })
    expect(connection).toMatchObject({ tenantId: other, portalId: String(sandbox.portalId) })
    await sql`delete from crm_connections where tenant_id = ${other}`
  })

  it('OAuth: a replayed, forged or cookie-less state, or no code, is sent home with a readable reason and stores nothing', async () => {
    const { url, cookie } = await startOAuth()
    const back = await consent(url)
    const before = await snapshot(sql)
    // Opened in another browser: no cookie.
    expect(connectError(await callback(new Request(back.toString())))).toBe(
      'OAuth refused: the sign-in state was already used or belongs to another browser. Start again with the Connect button.')
    const forged = new URL(back)
    forged.searchParams.set('state', back.searchParams.get('state')!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))
    expect(connectError(await callback(new Request(forged.toString(), { headers: { cookie } })))).toMatch(/not one we issued/)
    expect(connectError(await callback(new Request(`${APP_URL}/api/crm/oauth/callback?code=x`, { headers: { cookie } })))).toMatch(/without a sign-in code/)
    expect(await snapshot(sql)).toEqual(before)
    // The real one works once; the browser's cookie is then cleared, so pressing Back to it fails.
    expect((await callback(new Request(back.toString(), { headers: { cookie } }))).status).toBe(303)
    await backgroundSettled()
    expect(connectError(await callback(new Request(back.toString())))).toMatch(/already used or belongs to another browser/)
  })

  it('OAuth: a code HubSpot refuses, or its token endpoint failing, is sent home with a reason, not a JSON page', async () => {
    const refused = await startOAuth()
    const bogus = `${APP_URL}/api/crm/oauth/callback?code=not-a-code&state=${encodeURIComponent(new URL(refused.url).searchParams.get('state')!)}`
    expect(connectError(await callback(new Request(bogus, { headers: { cookie: refused.cookie } })))).toMatch(/HubSpot refused the OAuth grant/)
    const down = await startOAuth()
    const back = await consent(down.url)
    await control(sandbox, 'PUT', '/faults', { rules: [{ kind: 'server_error', rate: 1, match: '^POST /oauth/v1/token' }] })
    try {
      expect(connectError(await callback(new Request(back.toString(), { headers: { cookie: down.cookie } })))).toMatch(/^Something went wrong .*; it has been logged/)
    } finally {
      await control(sandbox, 'DELETE', '/faults')
    }
    expect(await sql`select id from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`).toEqual([])
  })

  it('OAuth: reconnecting a connection that needs it re-authorizes the same connection and reactivates it', async () => {
    const first = await startOAuth()
    await callback(new Request((await consent(first.url)).toString(), { headers: { cookie: first.cookie } }))
    await backgroundSettled()
    const [c] = await sql`select id from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    await sql`update crm_connections set status = 'needs_reauth', status_reason = 'token revoked' where id = ${c.id}`
    const again = await startOAuth()
    const res = await callback(new Request((await consent(again.url)).toString(), { headers: { cookie: again.cookie } }))
    expect(res.headers.get('location')).toContain(`connected=${c.id}`)
    await backgroundSettled()
    const rows = await sql`select id, status, status_reason from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    expect(rows).toEqual([{ id: c.id, status: 'active', status_reason: null }])
  })

  it("OAuth: a person who cancels on the consent page is sent home with HubSpot's reason, signed for the banner", async () => {
    const { url, cookie } = await startOAuth()
    const res = await callback(new Request((await consent(url, 'deny')).toString(), { headers: { cookie } }))
    const home = new URL(res.headers.get('location')!)
    expect(connectError(res)).toBe('The user denied the authorization request')
    expect(noticeToShow(home.searchParams.get('connect_error'), home.searchParams.get('connect_error_sig'))).toBe('The user denied the authorization request')
    // A long description is cut to a banner's length, not refused (it read as "without a sign-in code").
    const again = await startOAuth()
    const long = await consent(again.url, 'deny')
    long.searchParams.set('error_description', 'The user declined. ' + 'x'.repeat(600))
    expect(connectError(await callback(new Request(long.toString(), { headers: { cookie: again.cookie } })))).toMatch(/^The user declined\. x{480}x*…$/)
  })

  it("OAuth: a denial this browser did not start (a link anyone could send) carries our words, not the link's", async () => {
    const { url } = await startOAuth()
    const back = await consent(url, 'deny')
    back.searchParams.set('error_description', 'Your HubSpot access was revoked: call +1 555 0100')
    for (const [req, code] of [[new Request(back.toString()), 'access_denied'], // no nonce cookie
      [new Request(`${APP_URL}/api/crm/oauth/callback?error=${encodeURIComponent('call +1 555 0100')}&error_description=Call+us`), null]] as const) {
      const res = await callback(req)
      expect(connectError(res)).toBe(`HubSpot did not grant access${code ? ` (${code})` : ''}. Start again with the Connect button.`)
    }
  })

  it('private app: a working token connects and syncs; a refused one is a 400 and stores nothing', async () => {
    const before = await snapshot(sql)
    const bad = await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: 'pat-na1-not-a-real-token' }))
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.message).toMatch(/rejected this token/)
    expect(await snapshot(sql)).toEqual(before)
    const ok = await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))
    expect(ok.status).toBe(201)
    const body = await ok.text()
    expect(body).not.toContain(sandbox.token)
    await backgroundSettled()
  })

  it('connecting a portal again, by token or by OAuth, keeps its one connection and imports nothing twice', async () => {
    const first = await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))
    expect(first.status).toBe(201)
    const { connection } = await first.json()
    await backgroundSettled()
    const t = LOCAL_TENANT_ID
    const counts = async () => (await sql`select (select count(*)::int from contacts where tenant_id = ${t}) as contacts,
      (select count(*)::int from companies where tenant_id = ${t}) as companies, (select count(*)::int from deals where tenant_id = ${t}) as deals,
      (select count(*)::int from crm_links where tenant_id = ${t}) as links`)[0]
    const imported = await counts()
    expect(imported).toEqual({ contacts: 15, companies: 3, deals: 3, links: 21 })

    const again = await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ connection: { id: connection.id }, created: false })
    await backgroundSettled()

    const oauth = await startOAuth()
    const res = await callback(new Request((await consent(oauth.url)).toString(), { headers: { cookie: oauth.cookie } }))
    expect(res.headers.get('location')).toContain(`connected=${connection.id}`)
    await backgroundSettled()

    const rows = await sql`select id, auth_method, status from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    expect(rows).toEqual([{ id: connection.id, auth_method: 'oauth', status: 'active' }])
    expect(await counts()).toEqual(imported)
  })

  it('status lists connections with their latest runs and never a credential', async () => {
    await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))
    await backgroundSettled()
    const res = await status()
    const text = await res.text()
    const body = JSON.parse(text)
    expect(body.connections).toHaveLength(1)
    expect(body.connections[0].objects.contact).toMatchObject({ status: 'success', created: 15 })
    expect(body.connections[0]).toMatchObject({ running: false, openConflicts: 0, outboxFailed: 0 })
    expect(text).not.toContain(sandbox.token)
    expect(text).not.toMatch(/credentials|v1\.[A-Za-z0-9_-]{10,}/)
  })

  it('disconnect wipes the credentials and hides the connection', async () => {
    const created = await (await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))).json()
    await backgroundSettled()
    const res = await disconnect(jsonRequest('/api/crm/disconnect', { connectionId: created.connection.id }))
    expect(res.status).toBe(200)
    const [c] = await sql`select status, credentials_encrypted from crm_connections where id = ${created.connection.id}`
    expect(c).toEqual({ status: 'disconnected', credentials_encrypted: null })
    expect((await (await status()).json()).connections).toEqual([])
    // Disconnecting it again: it is there, disconnected (409 saying to reconnect), not unknown.
    expect((await disconnect(jsonRequest('/api/crm/disconnect', { connectionId: created.connection.id }))).status).toBe(409)
  })

  it('connecting again after a disconnect revives the connection: nothing imported twice, settings kept, edits made meanwhile pushed', async () => {
    const first = await (await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))).json()
    await backgroundSettled()
    const id = first.connection.id as string
    await changeSettings(sql, LOCAL_TENANT_ID, id, { frequencyMinutes: 30 })
    const t = LOCAL_TENANT_ID
    const counts = async () => (await sql`select (select count(*)::int from contacts where tenant_id = ${t}) as contacts,
      (select count(*)::int from companies where tenant_id = ${t}) as companies, (select count(*)::int from deals where tenant_id = ${t}) as deals,
      (select count(*)::int from owners where tenant_id = ${t}) as owners, (select count(*)::int from crm_links where tenant_id = ${t}) as links`)[0]
    const imported = await counts()
    expect((await disconnect(jsonRequest('/api/crm/disconnect', { connectionId: id }))).status).toBe(200)

    // While disconnected, the app edits a lead the CRM does not change again.
    const [lead] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id and l.connection_id = ${id}
                              where c.tenant_id = ${t} order by c.email limit 1`
    await sql`update contacts set job_title = 'Edited while disconnected' where id = ${lead.id}`

    const again = await connect(jsonRequest('/api/crm/connect', { method: 'private_app', token: sandbox.token }))
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ connection: { id }, created: false })
    await backgroundSettled()
    expect(await sql`select id, status, status_reason, settings->'frequencyMinutes' as minutes from crm_connections where tenant_id = ${t}`)
      .toEqual([{ id, status: 'active', status_reason: null, minutes: 30 }])
    expect(await counts()).toEqual(imported)
    const inCrm = await control<{ properties: Record<string, string | null> }>(sandbox, 'GET', `/records/contacts/${lead.remote_id}`)
    expect(inCrm.properties.jobtitle).toBe('Edited while disconnected')
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${id}`)[0].n).toBe(0)
  })
})

describe('POST /api/webhooks/nango', () => {
  const body = JSON.stringify({ from: 'nango', type: 'auth', connectionId: 'c1', providerConfigKey: 'hubspot', operation: 'refresh', success: false, tags: { organization_id: LOCAL_TENANT_ID } })
  const sign = (raw: string, secret = TEST_NANGO_WEBHOOK_SECRET) => createHmac('sha256', secret).update(raw).digest('hex')
  const send = (raw: string, sig?: string) => nangoWebhook(new Request(`${APP_URL}/api/webhooks/nango`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...(sig ? { 'x-nango-hmac-sha256': sig } : {}) } }))

  it('refuses a missing or wrong X-Nango-Hmac-Sha256 with 401', async () => {
    expect((await send(body)).status).toBe(401)
    expect((await send(body, sign(body, 'another-secret'))).status).toBe(401)
    expect((await send(body + ' ', sign(body))).status).toBe(401)
  })

  it('without NANGO_WEBHOOK_SECRET answers 503 naming it, as the HubSpot webhook does without its secret (not 401: no signature could pass)', async () => {
    delete process.env.NANGO_WEBHOOK_SECRET
    resetEnvCache()
    try {
      const res = await send(body, sign(body))
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ error: { code: 'webhooks_unconfigured', message: 'NANGO_WEBHOOK_SECRET is not set' } })
    } finally {
      process.env.NANGO_WEBHOOK_SECRET = TEST_NANGO_WEBHOOK_SECRET
      resetEnvCache()
    }
  })

  it('accepts a signed auth webhook; a failed refresh of an unknown connection is ignored', async () => {
    const res = await send(body, sign(body))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ outcome: 'ignored' })
  })
})

describe('logs', () => {
  it('carry no token: not the private-app token, not an OAuth access or refresh token', async () => {
    const tokens = [sandbox.token, ...sandbox.state.auth.accessTokens.keys(), ...sandbox.state.auth.refreshTokens.keys()]
    expect(tokens.length).toBeGreaterThan(2)
    const all = logged.join('\n')
    for (const t of tokens) expect(all).not.toContain(t)
  })
})
