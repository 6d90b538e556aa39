import { createCipheriv, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { useAppEnv } from './helpers'

// Two instances (or a preview deployment) on one database with different TOKEN_ENCRYPTION_KEYs:
// the tokens one sealed cannot be opened by the other. The run says which setting is wrong,
// instead of AES-GCM's own words filed as a passing fault and retried every hour.
const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 1, deals: 1, owners: 1, seed: 5 })
useAppEnv(sandbox)

/** A token sealed as lib/secrets.ts seals it, under a key this server does not have. */
function sealedUnderAnotherKey(plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

describe('a token saved under another TOKEN_ENCRYPTION_KEY', () => {
  it("fails the run as a configuration error naming TOKEN_ENCRYPTION_KEY, not as a transient fault", async () => {
    const id = await sandboxConnection(sql, sandbox, await createTenant(sql))
    await sql`update crm_connections
                 set credentials_encrypted = ${sealedUnderAnotherKey(JSON.stringify({ type: 'private_app', accessToken: sandbox.token }))}
               where id = ${id}`
    const summary = await runSync(sql, { connectionId: id, trigger: 'manual' })
    expect(summary.status).toBe('failed')
    const runs = await sql<{ error: string }[]>`select error from sync_runs where connection_id = ${id}`
    expect(runs.length).toBeGreaterThan(0)
    for (const r of runs) expect(r.error).toMatch(/^\[config\] .*TOKEN_ENCRYPTION_KEY/)
    expect(runs.map((r) => r.error).join()).not.toMatch(/Unsupported state/)
  })
})
