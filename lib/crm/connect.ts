import { env } from '../env'
import { lastDisconnectedConnection, listConnections, saveConnection, type Connection } from '../store/connections'
import type { Sql } from '../store/db'
import { sealCredentials } from './auth/credentials'
import { CrmError } from './errors'
import { ADAPTERS } from './adapters/registry'
import { parseSettings, type ConnectionSettingsInput } from './settings'

export interface PrivateAppConnect {
  tenantId: string
  token: string
  /** Where the CRM's API lives (the sandbox's URL in dev); default HUBSPOT_API_BASE_URL. */
  baseUrl?: string
  settings?: ConnectionSettingsInput
  label?: string
}

/**
 * Connects with a HubSpot private-app token: proves the token works (and learns the
 * portal id webhooks will carry) before anything is stored; the token is stored encrypted.
 * A portal the tenant is already connected to keeps its connection, now with this token
 * (`created: false`; see saveConnection).
 */
export async function connectPrivateApp(sql: Sql, c: PrivateAppConnect): Promise<{ connection: Connection; created: boolean }> {
  const settings = parseSettings(c.settings ?? {})
  const baseUrl = c.baseUrl ?? env().HUBSPOT_API_BASE_URL
  const adapter = ADAPTERS.hubspot({ baseUrl, tokens: { getAccessToken: async () => c.token }, perTenSeconds: 10 })
  let portalId: string
  try {
    portalId = await adapter.accountId()
  } catch (e) {
    if (e instanceof CrmError && (e.type === 'auth_expired' || e.type === 'forbidden')) {
      throw new CrmError('validation', 'HubSpot rejected this token: check it is a private-app access token with CRM scopes', { cause: e })
    }
    throw e
  }
  return saveConnection(sql, {
    tenantId: c.tenantId, authMethod: 'private_app', portalId, apiBaseUrl: c.baseUrl ?? null, label: c.label ?? null,
    credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: c.token }), settings,
  })
}

/**
 * The connection the CLI uses when none is named: the tenant's only one, else one created
 * from HUBSPOT_ACCESS_TOKEN (bidirectional by default). Without `baseUrl` it stores none and
 * follows HUBSPOT_API_BASE_URL, as the dashboard's connections do.
 * Created only when the tenant has no connection at all: one a user disconnected stays so
 * (connecting the same portal would re-authorize it with this token, see saveConnection).
 */
export async function ensureDefaultConnection(sql: Sql, tenantId: string, fallback: { token: string; baseUrl?: string }): Promise<Connection> {
  const existing = await listConnections(sql, tenantId)
  if (existing.length > 0) return existing[0]
  const disconnected = await lastDisconnectedConnection(sql, tenantId)
  if (disconnected) throw new CrmError('validation', disconnectedMessage(disconnected.id))
  return (await connectPrivateApp(sql, { tenantId, token: fallback.token, baseUrl: fallback.baseUrl, label: 'CLI' })).connection
}

/** Why the CLI will not sync a connection a user disconnected, and how to sync again. */
export const disconnectedMessage = (id: string) =>
  `connection ${id} was disconnected in the dashboard, so it is not synced: connect HubSpot again there (Connect), then run this again`
