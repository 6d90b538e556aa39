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
