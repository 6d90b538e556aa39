import { afterEach, describe, expect, it } from 'vitest'
import { GET as authCallback } from '../../app/auth/callback/route'
import { sendMagicLink } from '../../app/login/actions'
import { resetEnvCache } from '../../lib/env'
import { testSandbox } from '../helpers/sandbox'
import { APP_URL, useAppEnv } from './helpers'

// The magic link's landing page is opened by a person in the browser: a link that cannot
// sign anyone in sends them back to the sign-in page with the reason (or home, where there is
// no sign-in), never to a JSON body or a 500.

useAppEnv(await testSandbox())

function withSupabaseAuth(on: boolean) {
  if (on) Object.assign(process.env, { NEXT_PUBLIC_SUPABASE_URL: 'http://127.0.0.1:9', NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon-key' })
  resetEnvCache()
}
afterEach(() => {
  delete process.env.NEXT_PUBLIC_SUPABASE_URL
  delete process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY
  resetEnvCache()
})

type Case = [name: string, supabaseAuth: boolean, query: string, path: string, error: string | null]
const cases: Case[] = [
  ['a code on a server without sign-in (was a 500)', false, '?code=abc', '/', null],
  ['no code on a server without sign-in (was a JSON 400)', false, '', '/', null],
  ["Supabase's answer for an expired link (was a JSON 400 'code: code is required')", true,
    '?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired', '/login',
    'Email link is invalid or has expired: ask for a new one below.'],
  ['a link cut short, with no code (was a JSON 400)', true, '', '/login', 'This sign-in link is incomplete: ask for a new one below.'],
  ['a code over 1024 characters', true, `?code=${'a'.repeat(1025)}`, '/login', 'This sign-in link is incomplete: ask for a new one below.'],
]

describe('GET /auth/callback with a link that cannot sign anyone in', () => {
  it.each(cases)('%s', async (_name, supabaseAuth, query, path, error) => {
    withSupabaseAuth(supabaseAuth)
    const res = await authCallback(new Request(`${APP_URL}/auth/callback${query}`))
    expect(res.status).toBe(303)
    const to = new URL(res.headers.get('location')!)
    expect(to.origin + to.pathname).toBe(APP_URL + path)
    expect(to.searchParams.get('error')).toBe(error)
  })
})

describe('the sign-in form (server action sendMagicLink) with input it cannot use', () => {
  const form = (email: string) => { const f = new FormData(); f.set('email', email); return f }
  type Refusal = [name: string, supabaseAuth: boolean, email: string, error: string]
  const refusals: Refusal[] = [
    ['on a server without sign-in (was a thrown error: a 500)', false, 'ada@example.com', 'Sign-in is not configured on this server'],
    ['not an email', true, 'ada', 'Enter a valid email address'],
    ['an email over 254 characters', true, `${'a'.repeat(250)}@example.com`, 'Enter a valid email address'],
  ]
  it.each(refusals)('%s', async (_name, supabaseAuth, email, error) => {
    withSupabaseAuth(supabaseAuth)
    expect(await sendMagicLink({}, form(email))).toEqual({ error })
  })
})
