import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { openStoredCredentials, sealCredentials } from '../../lib/crm/auth/credentials'
import { tokenSourceFor } from '../../lib/crm/auth/token-source'
import { resetEnvCache } from '../../lib/env'
import { createConnection, getConnection, updateCredentials } from '../../lib/store/connections'
import type { Sql } from '../../lib/store/db'
import { migrate } from '../../lib/store/migrate'
import { resealCredentials } from '../../lib/store/sealed-credentials'
import { createTenant, testSql } from '../helpers/db'
import { freshDatabase } from '../helpers/fresh-database'
import { runScript, type ScriptResult } from '../helpers/run-script'

// Rotating TOKEN_ENCRYPTION_KEY: the old key moves to TOKEN_ENCRYPTION_KEY_PREVIOUS, tokens
// sealed under it still open and are sealed again under the new one where they are read, and
// `npm run rotate-token-key` moves the rest at once.
const sql = testSql()
const OLD = randomBytes(32).toString('base64')
const NEW = randomBytes(32).toString('base64')
const OTHER = randomBytes(32).toString('base64')

const saved = { key: process.env.TOKEN_ENCRYPTION_KEY, previous: process.env.TOKEN_ENCRYPTION_KEY_PREVIOUS }
afterAll(() => useKeys(saved.key, saved.previous))

function useKeys(current: string | undefined, previous?: string): void {
  for (const [k, v] of [['TOKEN_ENCRYPTION_KEY', current], ['TOKEN_ENCRYPTION_KEY_PREVIOUS', previous]] as const) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  resetEnvCache()
}

/** Sealed under `key` as the server holding it as TOKEN_ENCRYPTION_KEY would. */
function sealedUnder(key: string, accessToken: string): string {
  useKeys(key)
  return sealCredentials({ type: 'private_app', accessToken })
}

const stored = async (db: Sql, id: string) => (await db<{ v: string }[]>`select credentials_encrypted as v from crm_connections where id = ${id}`)[0].v

/** Whether the value opens with `key` alone, and was sealed under it (not a previous key). */
function opensUnder(key: string, sealed: string): boolean {
  useKeys(key)
  try {
    return !openStoredCredentials(sealed).underPreviousKey
  } catch {
    return false
  }
}

async function privateConnection(db: Sql, sealed: string): Promise<string> {
  return (await createConnection(db, { tenantId: await createTenant(db), authMethod: 'private_app', credentialsEncrypted: sealed })).id
}

describe('a token sealed under a previous key', () => {
  it('still opens, and is sealed again under the current key where it is read', async () => {
    const id = await privateConnection(sql, sealedUnder(OLD, 'pat-old'))
    useKeys(NEW, `${OTHER}, ${OLD}`)
    expect(await tokenSourceFor(sql, (await getConnection(sql, id))!).getAccessToken()).toBe('pat-old')
    expect(opensUnder(NEW, await stored(sql, id))).toBe(true)
  })

  it('an OAuth token sealed under a previous key is re-sealed by the read that precedes a refresh', async () => {
    useKeys(OLD)
    const inAnHour = new Date(Date.now() + 3_600_000)
    const sealed = sealCredentials({ type: 'oauth', accessToken: 'at-old', refreshToken: 'rt-old', expiresAt: inAnHour.toISOString() })
    const connection = await createConnection(sql, { tenantId: await createTenant(sql), authMethod: 'oauth', credentialsEncrypted: sealed, tokenExpiresAt: inAnHour })
    useKeys(NEW, OLD)
    expect(await tokenSourceFor(sql, connection).getAccessToken()).toBe('at-old')
    expect(opensUnder(NEW, await stored(sql, connection.id))).toBe(true)
  })

  it('a re-seal never lands on tokens a refresh wrote after the old value was read', async () => {
    const old = sealedUnder(OLD, 'pat-old')
    const id = await privateConnection(sql, old)
    useKeys(NEW, OLD)
    const refreshed = sealCredentials({ type: 'private_app', accessToken: 'pat-refreshed' })
    await updateCredentials(sql, id, refreshed, null)
    expect(await resealCredentials(sql, id, old, sealCredentials({ type: 'private_app', accessToken: 'pat-old' }))).toBe(false)
    expect(await stored(sql, id)).toBe(refreshed)
  })

  it('under a key the server does not have: the clear config error, and the stored value is left as it was', async () => {
    const sealed = sealedUnder(OTHER, 'pat-other')
    const id = await privateConnection(sql, sealed)
    useKeys(NEW, OLD)
    await expect(tokenSourceFor(sql, (await getConnection(sql, id))!).getAccessToken()).rejects.toThrow(/TOKEN_ENCRYPTION_KEY/)
    expect(await stored(sql, id)).toBe(sealed)
  })
})

function rotateCli(databaseUrl: string, current: string, previous: string): Promise<ScriptResult> {
  return runScript('scripts/rotate-token-key.ts', [], { ...process.env, DATABASE_URL: databaseUrl, TOKEN_ENCRYPTION_KEY: current, TOKEN_ENCRYPTION_KEY_PREVIOUS: previous })
}

describe('npm run rotate-token-key', () => {
  // Its own database: the CLI reads every tenant's connections, and other files' are sealed under keys of their own.
  it('refuses with nothing changed while one token opens with no key; then moves all, and a second run moves none', async () => {
    const db = await freshDatabase()
    try {
      await migrate(db.sql)
      const underOld = [await privateConnection(db.sql, sealedUnder(OLD, 'pat-1')), await privateConnection(db.sql, sealedUnder(OLD, 'pat-2'))]
      const underNew = await privateConnection(db.sql, sealedUnder(NEW, 'pat-3'))
      const stray = await privateConnection(db.sql, sealedUnder(OTHER, 'pat-4'))
      const before = await Promise.all([...underOld, underNew, stray].map((id) => stored(db.sql, id)))

      const refused = await rotateCli(db.url, NEW, OLD)
      expect(refused.code, refused.stderr).toBe(1)
      expect(refused.stderr).toMatch(/Nothing changed: 1 of 4 .*TOKEN_ENCRYPTION_KEY_PREVIOUS/s)
      expect(refused.stderr).toContain(stray)
      expect(await Promise.all([...underOld, underNew, stray].map((id) => stored(db.sql, id)))).toEqual(before)

      const moved = await rotateCli(db.url, NEW, `${OLD},${OTHER}`)
      expect(moved.code, moved.stderr).toBe(0)
      expect(moved.stdout).toMatch(/Re-sealed 3 of 4 /)
      for (const id of [...underOld, underNew, stray]) expect(opensUnder(NEW, await stored(db.sql, id))).toBe(true)
      expect(await stored(db.sql, underNew)).toBe(before[2])

      const again = await rotateCli(db.url, NEW, `${OLD},${OTHER}`)
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toMatch(/Re-sealed 0 of 4 /)
    } finally {
      await db.drop()
    }
  })
})
