import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { GET as statusRoute } from '../../app/api/crm/status/route'
import { resetEnvCache } from '../../lib/env'
import { currentTenantId } from '../../lib/tenant'
import { proxy } from '../../proxy'
import { testSql } from '../helpers/db'
import { testSandbox } from '../helpers/sandbox'
import { useAppEnv } from './helpers'

// Who is signed in, checked by the access token's signature (getClaims) rather than by asking
// Supabase Auth on every request (getUser): once in proxy.ts and once more in the route, for
// every page and every poll. Supabase Auth is stood in for by a small server answering the
// three calls auth-js makes here, counting them: its signing keys (JWKS), the user (the legacy
// shared-secret check) and a session refresh.
// https://supabase.com/docs/reference/javascript/auth-getclaims

// The request's cookies, as next/headers gives them inside a request (route tests run outside one).
const jar = new Map<string, string>()
vi.mock('next/headers', () => ({
  cookies: async () => ({
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
}))

const sql = testSql()
useAppEnv(await testSandbox())
// supabase-js builds a realtime client with every client and refuses without a WebSocket, which
// Node 20 lacks outside Next's server; nothing here opens one.
vi.stubGlobal('WebSocket', globalThis.WebSocket ?? class {})

const KID = 'standin-key-1'
const projectKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const LEGACY_TOKEN_SIG = 'legacy-shared-secret-signature'

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')

/** An access token as Supabase Auth signs it: ES256 with the project's key, or HS256 (the legacy shared secret). */
function accessToken(sub: string, email: string, opts: { key?: KeyObject; legacy?: boolean; expiresIn?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = b64({ sub, email, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + (opts.expiresIn ?? 3600) })
  if (opts.legacy) return `${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${LEGACY_TOKEN_SIG}`
  const header = b64({ alg: 'ES256', typ: 'JWT', kid: KID })
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: opts.key ?? projectKey.privateKey, dsaEncoding: 'ieee-p1363' })
  return `${header}.${payload}.${signature.toString('base64url')}`
}

function session(token: string, sub: string, email: string) {
  const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number
  return { access_token: token, refresh_token: `refresh-${sub}`, expires_in: exp - Math.floor(Date.now() / 1000), expires_at: exp,
    token_type: 'bearer', user: { id: sub, email, aud: 'authenticated' } }
}

/** @supabase/ssr's session cookie for a project at 127.0.0.1. */
const COOKIE = 'sb-127-auth-token'
const cookieValue = (token: string, sub: string, email: string) => `base64-${Buffer.from(JSON.stringify(session(token, sub, email))).toString('base64url')}`

let calls: string[] = []
let server: http.Server
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname
    calls.push(`${req.method} ${path}`)
    const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)) }
    if (path === '/auth/v1/.well-known/jwks.json') {
      return send(200, { keys: [{ ...projectKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'ES256', use: 'sig', key_ops: ['verify'] }] })
    }
    if (path === '/auth/v1/user') {
      // The legacy check: Supabase Auth vouches for a token it signed with the shared secret.
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      if (!token.endsWith(`.${LEGACY_TOKEN_SIG}`)) return send(401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT' })
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
      return send(200, { id: claims.sub, email: claims.email, aud: 'authenticated', role: 'authenticated' })
    }
    if (path === '/auth/v1/token') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        const { refresh_token } = JSON.parse(body) as { refresh_token: string }
        const sub = refresh_token.replace(/^refresh-/, '')
        send(200, session(accessToken(sub, 'refreshed@example.com'), sub, 'refreshed@example.com'))
      })
      return
    }
    send(404, { msg: 'not found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  Object.assign(process.env, { NEXT_PUBLIC_SUPABASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon-key' })
  resetEnvCache()
})
afterAll(async () => {
  delete process.env.NEXT_PUBLIC_SUPABASE_URL
  delete process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY
  resetEnvCache()
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  jar.clear()
  calls = []
})

async function workspaceOf(sub: string): Promise<string | undefined> {
  const [m] = await sql`select tenant_id from tenant_members where user_id = ${sub}`
  return m?.tenant_id
}

describe('the signed-in user, from the access token', () => {
  it("a token signed with the project's key is read without asking Supabase Auth; its keys are fetched once for many requests", async () => {
    const sub = randomUUID()
    jar.set(COOKIE, cookieValue(accessToken(sub, 'ada@example.com'), sub, 'ada@example.com'))
    const tenants = [await currentTenantId(), await currentTenantId(), await currentTenantId()]
    expect(new Set(tenants)).toEqual(new Set([await workspaceOf(sub)]))
    expect(calls.filter((c) => c === 'GET /auth/v1/user')).toEqual([])
    expect(calls.filter((c) => c.endsWith('/jwks.json')).length).toBeLessThanOrEqual(1)
  })

  it.each([
    ['signed with another key (forged)', () => { const sub = randomUUID(); return { sub, token: accessToken(sub, 'eve@example.com', { key: otherKey.privateKey }) } }],
    ['a legacy token Supabase Auth does not vouch for', () => { const sub = randomUUID(); return { sub, token: `${accessToken(sub, 'eve@example.com', { legacy: true })}x` } }],
  ])('a token %s: 401, and no workspace is made', async (_name, make) => {
    const { sub, token } = make()
    jar.set(COOKIE, cookieValue(token, sub, 'eve@example.com'))
    const res = await statusRoute()
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('unauthenticated')
    expect(await workspaceOf(sub)).toBeUndefined()
  })

  it('no session cookie: 401, with no call to Supabase Auth', async () => {
    const res = await statusRoute()
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('unauthenticated')
    expect(calls).toEqual([])
  })

  it('a project still on the legacy shared secret: Supabase Auth is asked, as before', async () => {
    const sub = randomUUID()
    jar.set(COOKIE, cookieValue(accessToken(sub, 'grace@example.com', { legacy: true }), sub, 'grace@example.com'))
    expect(await currentTenantId()).toBe(await workspaceOf(sub))
    expect(calls).toEqual(['GET /auth/v1/user'])
  })
})

describe('proxy.ts', () => {
  const page = (cookie: string) => new NextRequest('http://app.test/', { headers: { cookie: `${COOKIE}=${cookie}` } })

  it("checks a live session by the project's keys: no call to Supabase Auth's user endpoint", async () => {
    const sub = randomUUID()
    await proxy(page(cookieValue(accessToken(sub, 'ada@example.com'), sub, 'ada@example.com')))
    expect(calls.filter((c) => !c.endsWith('/jwks.json'))).toEqual([])
  })

  it('refreshes a session about to expire and sets the new cookie on the response', async () => {
    const sub = randomUUID()
    const res = await proxy(page(cookieValue(accessToken(sub, 'ada@example.com', { expiresIn: 5 }), sub, 'ada@example.com')))
    expect(calls).toContain('POST /auth/v1/token')
    expect(calls).not.toContain('GET /auth/v1/user')
    const set = res.cookies.get(COOKIE)?.value ?? ''
    const refreshed = JSON.parse(Buffer.from(set.replace(/^base64-/, ''), 'base64url').toString())
    expect(refreshed.user.email).toBe('refreshed@example.com')
  })
})
