import { Nango } from '@nangohq/node'
import { env } from '../../env'
import { getConnection, updateCredentials, type Connection } from '../../store/connections'
import type { Sql } from '../../store/db'
import { CrmError } from '../errors'
import { openCredentials, sealCredentials } from './credentials'
import { refreshTokens } from './oauth-refresh'

export interface TokenSource {
  getAccessToken(): Promise<string>
  /** Forces a new token (after the CRM said the current one expired). */
  refresh?(): Promise<string>
}

/** Refresh this long before expiry, so a page in flight never carries a dying token. */
const REFRESH_MARGIN_MS = 5 * 60_000

// Single flight: concurrent callers for one connection share one refresh (per process;
// the database row is re-read first, so another instance's fresh token is reused).
const inFlight = new Map<string, Promise<string>>()

export function tokenSourceFor(sql: Sql, connection: Connection): TokenSource {
  switch (connection.authMethod) {
    case 'private_app':
      return { getAccessToken: async () => privateToken(connection) }
    case 'oauth':
      return {
        getAccessToken: () => oauthToken(sql, connection.id, false),
        refresh: () => oauthToken(sql, connection.id, true),
      }
    case 'nango':
      return nangoTokenSource(connection)
  }
}

function privateToken(connection: Connection): string {
  if (!connection.credentialsEncrypted) throw new CrmError('config', 'connection has no token')
  const creds = openCredentials(connection.credentialsEncrypted)
  return creds.accessToken
}

function oauthToken(sql: Sql, connectionId: string, force: boolean): Promise<string> {
  const existing = inFlight.get(connectionId)
  if (existing) return existing
  const p = (async () => {
    const fresh = await getConnection(sql, connectionId)
    if (!fresh?.credentialsEncrypted) throw new CrmError('auth_expired', 'connection has no OAuth tokens')
    const creds = openCredentials(fresh.credentialsEncrypted)
    if (creds.type !== 'oauth') return creds.accessToken
    if (!force && new Date(creds.expiresAt).getTime() - Date.now() > REFRESH_MARGIN_MS) return creds.accessToken
    const e = env()
    if (!e.HUBSPOT_CLIENT_ID || !e.HUBSPOT_CLIENT_SECRET) throw new CrmError('config', 'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are needed to refresh OAuth tokens')
    const tokens = await refreshTokens(
      { basePath: fresh.apiBaseUrl ?? e.HUBSPOT_API_BASE_URL, clientId: e.HUBSPOT_CLIENT_ID, clientSecret: e.HUBSPOT_CLIENT_SECRET },
      creds.refreshToken,
    )
    await updateCredentials(sql, connectionId, sealCredentials({ type: 'oauth', ...tokens, expiresAt: tokens.expiresAt.toISOString() }), tokens.expiresAt)
    return tokens.accessToken
  })().finally(() => inFlight.delete(connectionId))
  inFlight.set(connectionId, p)
  return p
}

function nangoTokenSource(connection: Connection): TokenSource {
  const e = env()
  if (!e.NANGO_SECRET_KEY || !connection.nangoConnectionId) throw new CrmError('config', 'Nango is not configured for this connection')
  const nango = new Nango({ secretKey: e.NANGO_SECRET_KEY, host: e.NANGO_HOST })
  const key = connection.nangoProviderConfigKey ?? e.NANGO_HUBSPOT_INTEGRATION_ID
  // Nango refreshes tokens itself; ask it each time (it advises caching ≤ 5 minutes).
  // https://docs.nango.dev/reference/sdks/node#get-a-connection-with-credentials
  const get = async (force: boolean) => {
    const token = await nango.getToken(key, connection.nangoConnectionId!, force)
    if (typeof token !== 'string') throw new CrmError('config', 'Nango returned no OAuth access token')
    return token
  }
  return { getAccessToken: () => get(false), refresh: () => get(true) }
}
