import { afterEach, describe, expect, it } from 'vitest'
import { register } from '../../instrumentation'
import { resetEnvCache } from '../../lib/env'

// Next.js calls instrumentation.ts's register() when a server starts: a deployment missing
// what it needs must fail there, naming what is missing (seen with `next start`: "Failed to
// prepare server" and the list), not come up and fail each request.
const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
  resetEnvCache()
})

const deployment = (extra: Record<string, string>) => {
  process.env = { ...saved, NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db.example/app', NEXT_RUNTIME: 'nodejs', ...extra }
  for (const k of ['APP_URL', 'NEXT_PHASE', 'TOKEN_ENCRYPTION_KEY', 'CRON_SECRET', 'NEXT_PUBLIC_SUPABASE_URL', 'NEXT_PUBLIC_SUPABASE_ANON_KEY', 'SYNCLINE_SINGLE_TENANT']) {
    if (!(k in extra)) delete process.env[k]
  }
  resetEnvCache()
}

describe('the server start (instrumentation.ts)', () => {
  it('a deployment missing its keys fails to start, every missing one named', async () => {
    deployment({})
    const failure = await register().then(() => null, (e: Error) => e.message)
    expect(failure).toMatch(/TOKEN_ENCRYPTION_KEY/)
    expect(failure).toMatch(/CRON_SECRET/)
    expect(failure).toMatch(/NEXT_PUBLIC_SUPABASE_URL/)
    expect(failure).toMatch(/APP_URL/)
  })

  it('a deployment with what README lists starts', async () => {
    deployment({ APP_URL: 'https://app.example.com', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), CRON_SECRET: 'a-cron-secret-0123456789', SYNCLINE_SINGLE_TENANT: 'true' })
    await expect(register()).resolves.toBeUndefined()
  })

  const ready = { APP_URL: 'https://app.example.com', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), CRON_SECRET: 'a-cron-secret-0123456789', SYNCLINE_SINGLE_TENANT: 'true' }
  it.each([
    // The Supabase project's address where its database's belongs: a Postgres client took it for a host on :5432.
    { name: 'DATABASE_URL', value: 'https://abcdefgh.supabase.co', says: /postgres:\/\/ .*not the project's https URL/ },
    // Parsed as a URL of scheme "localhost:"; OAuth's callback then answered 500 "Invalid URL".
    { name: 'APP_URL', value: 'localhost:3000', says: /http:\/\/ or https:\/\/ URL/ },
    { name: 'HUBSPOT_API_BASE_URL', value: 'api.hubapi.com:443', says: /http:\/\/ or https:\/\/ URL/ },
    { name: 'NEXT_PUBLIC_SUPABASE_URL', value: 'postgres://db.abcdefgh.supabase.co:5432/postgres', says: /http:\/\/ or https:\/\/ URL/ },
    // Taken before, and every phone written without a +code was then read as none.
    { name: 'SYNC_DEFAULT_PHONE_COUNTRY', value: 'UK', says: /"UK" is not a country code .*GB for the United Kingdom/ },
  ])('a deployment with $name=$value fails to start, saying what it must be', async ({ name, value, says }) => {
    deployment({ ...ready, [name]: value })
    const failure = await register().then(() => null, (e: Error) => e.message)
    expect(failure).toMatch(new RegExp(`${name}: `))
    expect(failure).toMatch(says)
  })

  it('the edge runtime (where the proxy runs) checks nothing', async () => {
    deployment({ NEXT_RUNTIME: 'edge' })
    await expect(register()).resolves.toBeUndefined()
  })
})
