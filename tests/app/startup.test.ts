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

  it('the edge runtime (where the proxy runs) checks nothing', async () => {
    deployment({ NEXT_RUNTIME: 'edge' })
    await expect(register()).resolves.toBeUndefined()
  })
})
