import { describe, expect, it } from 'vitest'
import { sealCredentials } from '../../lib/crm/auth/credentials'
import { tokenSourceFor } from '../../lib/crm/auth/token-source'
import { createConnection, updateCredentials } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'

const sql = testSql()

describe('token sources', () => {
  it('an OAuth source keeps a valid token for its run; a new run reads the stored one', async () => {
    const tenant = await createTenant(sql)
    const inAnHour = new Date(Date.now() + 3_600_000)
    const oauth = (accessToken: string) => sealCredentials({ type: 'oauth', accessToken, refreshToken: 'refresh-1', expiresAt: inAnHour.toISOString() })
    const connection = await createConnection(sql, { tenantId: tenant, authMethod: 'oauth', credentialsEncrypted: oauth('token-A'), tokenExpiresAt: inAnHour })
    const run = tokenSourceFor(sql, connection)
    expect(await run.getAccessToken()).toBe('token-A')

    // Another instance refreshed and stored a new token: this run's token is still valid.
    await updateCredentials(sql, connection.id, oauth('token-B'), inAnHour)
    expect(await run.getAccessToken()).toBe('token-A')
    expect(await tokenSourceFor(sql, connection).getAccessToken()).toBe('token-B')
  })

  it('a private-app source answers the sealed token', async () => {
    const tenant = await createTenant(sql)
    const connection = await createConnection(sql, { tenantId: tenant, authMethod: 'private_app', credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: 'pat-1' }) })
    const source = tokenSourceFor(sql, connection)
    expect([await source.getAccessToken(), await source.getAccessToken()]).toEqual(['pat-1', 'pat-1'])
  })
})
