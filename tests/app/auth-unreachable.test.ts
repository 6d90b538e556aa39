import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { GET as statusRoute } from '../../app/api/crm/status/route'
import { sendMagicLink } from '../../app/login/actions'
import { resetEnvCache } from '../../lib/env'
import { freePort } from '../helpers/ports'
import { testSandbox } from '../helpers/sandbox'
import { useAppEnv } from './helpers'

// Supabase Auth configured but not answering (down, or NEXT_PUBLIC_SUPABASE_URL naming no
// project). Before, a signed-in person was taken for a signed-out one and sent to /login, whose
// form then said "fetch failed", and the server logged nothing.

// The request's cookies, as next/headers gives them inside a request (route tests run outside one).
const jar = new Map<string, string>()
vi.mock('next/headers', () => ({
  cookies: async () => ({
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
}))

useAppEnv(await testSandbox())
// supabase-js builds a realtime client with every client and refuses without a WebSocket, which
// Node 20 lacks outside Next's server; nothing here opens one.
vi.stubGlobal('WebSocket', globalThis.WebSocket ?? class {})

/** A signed-in browser's session cookie for a Supabase project at 127.0.0.1 (@supabase/ssr's format). */
function signedIn(): void {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const exp = Math.floor(Date.now() / 1000) + 3600
  const sub = '33333333-3333-4333-8333-333333333333'
  const session = { access_token: `${b64({ alg: 'HS256' })}.${b64({ sub, exp })}.sig`, refresh_token: 'r', expires_in: 3600, expires_at: exp,
    token_type: 'bearer', user: { id: sub, email: 'ada@example.com', aud: 'authenticated' } }
  jar.set('sb-127-auth-token', `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`)
}

let logged: string[]
beforeEach(async () => {
  jar.clear()
  // Nothing listens there.
  Object.assign(process.env, { NEXT_PUBLIC_SUPABASE_URL: `http://127.0.0.1:${await freePort()}`, NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon-key' })
  resetEnvCache()
  logged = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')))
})
afterEach(() => {
  vi.mocked(console.error).mockRestore()
  delete process.env.NEXT_PUBLIC_SUPABASE_URL
  delete process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY
  resetEnvCache()
})

describe('Supabase Auth not answering', () => {
  it('the sign-in form says sign-in is unavailable, and the server logs the address it tried', async () => {
    const form = new FormData()
    form.set('email', 'ada@example.com')
    expect(await sendMagicLink({}, form)).toEqual({ error: expect.stringMatching(/^Sign-in is unavailable: Supabase Auth could not be reached/) })
    expect(logged.join('\n')).toMatch(/Supabase Auth could not be reached at NEXT_PUBLIC_SUPABASE_URL \(http:\/\/127\.0\.0\.1:\d+\)/)
  })

  it('a signed-in request is answered that sign-in is unavailable (not "Sign in"), and logged', async () => {
    signedIn()
    const res = await statusRoute()
    expect(res.status).toBe(401)
    expect((await res.json()).error).toEqual({ code: 'auth_unavailable', message: expect.stringMatching(/^Sign-in is unavailable/) })
    expect(logged.join('\n')).toMatch(/Supabase Auth could not be reached at NEXT_PUBLIC_SUPABASE_URL/)
  })
})
