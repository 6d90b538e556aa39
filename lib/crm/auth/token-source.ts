import { Nango } from '@nangohq/node'
import { env } from '../../env'
import { getConnection, updateCredentials, type Connection } from '../../store/connections'
import type { Sql } from '../../store/db'
import { resealCredentials } from '../../store/sealed-credentials'
import { CrmError } from '../errors'
import { nangoCannotGiveToken } from '../nango-refresh-check'
import { openStoredCredentials, sealCredentials, type Credentials } from './credentials'
import { refreshTokens } from './oauth-refresh'

export interface TokenSource {
  getAccessToken(): Promise<string>
  /** Forces a new token (after the CRM said the current one expired). */
  refresh?(): Promise<string>
}

/** Refresh this long before expiry, so a page in flight never carries a dying token. */
const REFRESH_MARGIN_MS = 5 * 60_000
/** Nango's advice: cache a token it returned for at most 5 minutes. */
const NANGO_CACHE_MS = 4 * 60_000

// Single flight: concurrent callers for one connection share one refresh (per process;
// the database row is re-read first, so another instance's fresh token is reused).
const inFlight = new Map<string, Promise<AccessToken>>()

interface AccessToken {
  token: string
  /** Epoch ms; Infinity for a token that does not expire. */
  expiresAt: number
}

/**
 * A run's token source. Each keeps the token it got for as long as it stays valid, so a
 * backfill's thousand pages cost one decryption (and, for OAuth, one read of the
 * connection row) instead of one per call.
 */
export function tokenSourceFor(sql: Sql, connection: Connection): TokenSource {
  switch (connection.authMethod) {
    case 'private_app': {
      let token: string | undefined
      return { getAccessToken: async () => (token ??= await privateToken(sql, connection)) }
    }
    case 'oauth': {
      let held: AccessToken | undefined
      const take = async (force: boolean) => (held = await oauthToken(sql, connection.id, force)).token
      return {
        getAccessToken: () => (held && held.expiresAt - Date.now() > REFRESH_MARGIN_MS ? Promise.resolve(held.token) : take(false)),
        refresh: () => take(true),
      }
    }
    case 'nango':
      return nangoTokenSource(connection)
  }
}

async function privateToken(sql: Sql, connection: Connection): Promise<string> {
  if (!connection.credentialsEncrypted) throw new CrmError('config', 'connection has no token')
  const creds = await openResealing(sql, connection.id, connection.credentialsEncrypted)
  return creds.accessToken
}

/**
 * Opens a connection's stored credentials; ones sealed under a previous TOKEN_ENCRYPTION_KEY
 * are sealed again under the current key at once, here where they are read, not when they are
 * next written: a private-app token is never written again, and an OAuth one only when it
 * expires, so waiting would keep the old key needed for as long as a connection stays idle.
 * The write is a compare-and-set on the value just read (lib/store/sealed-credentials.ts), so
 * it needs no lock against a refresh: one that wrote new tokens first wins and this is dropped.
 */
async function openResealing(sql: Sql, connectionId: string, sealed: string): Promise<Credentials> {
  const { credentials, underPreviousKey } = openStoredCredentials(sealed)
  if (underPreviousKey) await resealCredentials(sql, connectionId, sealed, sealCredentials(credentials))
  return credentials
}

function oauthToken(sql: Sql, connectionId: string, force: boolean): Promise<AccessToken> {
  const existing = inFlight.get(connectionId)
  if (existing) return existing
  const p = (async (): Promise<AccessToken> => {
    const fresh = await getConnection(sql, connectionId)
    if (!fresh?.credentialsEncrypted) throw new CrmError('auth_expired', 'connection has no OAuth tokens')
    const creds = await openResealing(sql, connectionId, fresh.credentialsEncrypted)
    if (creds.type !== 'oauth') return { token: creds.accessToken, expiresAt: Infinity }
    const expiresAt = new Date(creds.expiresAt).getTime()
    if (!force && expiresAt - Date.now() > REFRESH_MARGIN_MS) return { token: creds.accessToken, expiresAt }
    const e = env()
    if (!e.HUBSPOT_CLIENT_ID || !e.HUBSPOT_CLIENT_SECRET) throw new CrmError('config', 'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are needed to refresh OAuth tokens')
    const tokens = await refreshTokens(
      { basePath: fresh.apiBaseUrl ?? e.HUBSPOT_API_BASE_URL, clientId: e.HUBSPOT_CLIENT_ID, clientSecret: e.HUBSPOT_CLIENT_SECRET },
      creds.refreshToken,
    )
    await updateCredentials(sql, connectionId, sealCredentials({ type: 'oauth', ...tokens, expiresAt: tokens.expiresAt.toISOString() }), tokens.expiresAt)
    return { token: tokens.accessToken, expiresAt: tokens.expiresAt.getTime() }
  })().finally(() => inFlight.delete(connectionId))
  inFlight.set(connectionId, p)
  return p
}

function nangoTokenSource(connection: Connection): TokenSource {
  const e = env()
  if (!e.NANGO_SECRET_KEY || !connection.nangoConnectionId) throw new CrmError('config', 'Nango is not configured for this connection')
  const nango = new Nango({ secretKey: e.NANGO_SECRET_KEY, host: e.NANGO_HOST })
  const key = connection.nangoProviderConfigKey ?? e.NANGO_HUBSPOT_INTEGRATION_ID
  // Nango refreshes tokens itself and advises caching what it returns for at most 5 minutes.
  // https://docs.nango.dev/reference/sdks/node#get-a-connection-with-credentials
  let held: { token: string; at: number } | undefined
  const get = async (force: boolean) => {
    const token = await nango.getToken(key, connection.nangoConnectionId!, force).catch((e: unknown) => {
      // As HubSpot's own refusal of a refresh does (oauth-refresh.ts): the run fails as auth_expired and
      // the card asks to reconnect, where it showed failed runs with Nango's message until a webhook came.
      if (nangoCannotGiveToken(e)) throw new CrmError('auth_expired', 'Nango cannot refresh the HubSpot token; reconnect the CRM', { cause: e })
      throw e
    })
    if (typeof token !== 'string') throw new CrmError('config', 'Nango returned no OAuth access token')
    held = { token, at: Date.now() }
    return token
  }
  return {
    getAccessToken: () => (held && Date.now() - held.at < NANGO_CACHE_MS ? Promise.resolve(held.token) : get(false)),
    refresh: () => get(true),
  }
}
