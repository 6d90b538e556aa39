import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv, signInMissing } from './env'

// What a production deployment must set, and what is refused at startup without it.
const deployment = {
  NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db.example/app', APP_URL: 'https://app.example.com', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  CRON_SECRET: 'a-cron-secret-of-32-characters!!', NEXT_PUBLIC_SUPABASE_URL: 'https://x.supabase.co', NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon',
}
const without = (...keys: (keyof typeof deployment)[]) => Object.fromEntries(Object.entries(deployment).filter(([k]) => !keys.includes(k as keyof typeof deployment)))

const problemsOf = (source: Record<string, string | undefined>): string[] => {
  try { parseEnv(source); return [] } catch (e) { if (e instanceof EnvError) return e.issues.map((i) => i.split(':')[0]); throw e }
}

describe('parseEnv: a production deployment', () => {
  it.each([
    { name: 'everything README lists: accepted', source: deployment, problems: [] },
    { name: 'no Supabase Auth keys: refused (anyone would get the one workspace)', source: without('NEXT_PUBLIC_SUPABASE_ANON_KEY'),
      problems: ['NEXT_PUBLIC_SUPABASE_URL, NEXT_PUBLIC_SUPABASE_ANON_KEY'] },
    { name: 'no Supabase Auth keys but single-tenant said out loud: accepted', source: { ...without('NEXT_PUBLIC_SUPABASE_URL', 'NEXT_PUBLIC_SUPABASE_ANON_KEY'), SYNCLINE_SINGLE_TENANT: 'true' }, problems: [] },
    { name: 'no CRON_SECRET: refused (every scheduled sync would be refused)', source: without('CRON_SECRET'), problems: ['CRON_SECRET'] },
    { name: 'no encryption key: refused', source: without('TOKEN_ENCRYPTION_KEY'), problems: ['TOKEN_ENCRYPTION_KEY'] },
    { name: 'all four missing: every problem named at once', source: without('APP_URL', 'TOKEN_ENCRYPTION_KEY', 'CRON_SECRET', 'NEXT_PUBLIC_SUPABASE_URL'),
      problems: ['APP_URL', 'TOKEN_ENCRYPTION_KEY', 'NEXT_PUBLIC_SUPABASE_URL, NEXT_PUBLIC_SUPABASE_ANON_KEY', 'CRON_SECRET'] },
    { name: 'no APP_URL: refused (OAuth would send people to localhost, and every webhook signature would fail)', source: without('APP_URL'), problems: ['APP_URL'] },
    { name: 'development with nothing set: accepted', source: {}, problems: [] },
    { name: '`next build` with DATABASE_URL in its shell and no runtime secrets: accepted', source: { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db.example/app', NEXT_PHASE: 'phase-production-build' }, problems: [] },
    { name: '`next build` (production, no database): accepted', source: { NODE_ENV: 'production' }, problems: [] },
  ])('$name', ({ source, problems }) => {
    expect(problemsOf(source)).toEqual(problems)
  })
})

describe('TOKEN_ENCRYPTION_KEY_PREVIOUS: keys kept to open tokens sealed before a rotation', () => {
  const key = (n: number) => Buffer.alloc(32, n).toString('base64')
  it.each([
    { name: 'unset: none', value: undefined, keys: [] },
    { name: 'blank: none', value: '', keys: [] },
    { name: 'one key', value: key(2), keys: [key(2)] },
    { name: 'several, comma-separated, spaces around them ignored', value: `${key(2)}, ${key(3)}`, keys: [key(2), key(3)] },
  ])('$name', ({ value, keys }) => {
    expect(parseEnv({ TOKEN_ENCRYPTION_KEY_PREVIOUS: value }).TOKEN_ENCRYPTION_KEY_PREVIOUS).toEqual(keys)
  })

  it.each([
    { name: 'a key of 16 bytes', value: Buffer.alloc(16, 2).toString('base64'), message: /key 1 of 1 is not 32 bytes/ },
    { name: 'a good key and a bad one: the bad one named by position', value: `${key(2)},not-a-key`, message: /key 2 of 2 is not 32 bytes/ },
    { name: 'an empty entry (a trailing comma)', value: `${key(2)},`, message: /key 2 of 2/ },
  ])('refused: $name', ({ value, message }) => {
    const source = { ...deployment, TOKEN_ENCRYPTION_KEY_PREVIOUS: value }
    expect(() => parseEnv(source)).toThrow(EnvError)
    expect(() => parseEnv(source)).toThrow(message)
    // The message names the setting, never the key itself (it lands in logs).
    expect(() => parseEnv(source)).toThrow(/TOKEN_ENCRYPTION_KEY_PREVIOUS: /)
    try { parseEnv(source) } catch (e) { expect(String(e)).not.toContain(key(2)) }
  })
})

describe('signInMissing', () => {
  it.each([
    { source: { NODE_ENV: 'production' }, missing: true },
    { source: { NODE_ENV: 'production', SYNCLINE_SINGLE_TENANT: 'true' }, missing: false },
    { source: { NODE_ENV: 'production', NEXT_PUBLIC_SUPABASE_URL: 'https://x.supabase.co', NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon' }, missing: false },
    { source: { NODE_ENV: 'development' }, missing: false },
    { source: { NODE_ENV: 'test' }, missing: false },
  ])('$source → $missing', ({ source, missing }) => {
    expect(signInMissing(parseEnv(source))).toBe(missing)
  })
})

describe('.env.example', () => {
  it('documents every setting lib/env.ts reads', async () => {
    const { envSchema } = await import('./env')
    const { readFileSync } = await import('node:fs')
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    // Set (KEY=) or shown commented out (# KEY=).
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]))
    expect(Object.keys(envSchema.shape).filter((k) => !documented.has(k))).toEqual([])
  })
})
