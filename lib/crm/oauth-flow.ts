import { z } from 'zod'
import { env } from '../env'
import { saveConnection, type Connection } from '../store/connections'
import type { Sql } from '../store/db'
import { ADAPTERS } from './adapters/registry'
import { sealCredentials } from './auth/credentials'
import { exchangeCode } from './auth/oauth-refresh'
import { CrmError } from './errors'
import { createState, verifyState } from './oauth-state'

// Built-in OAuth with HubSpot (no Nango): authorize redirect, then code exchange.
// https://developers.hubspot.com/docs/api/oauth-quickstart-guide

export const OAUTH_SCOPES = [
  'crm.objects.contacts.read', 'crm.objects.contacts.write',
  'crm.objects.companies.read', 'crm.objects.companies.write',
  'crm.objects.deals.read', 'crm.objects.deals.write',
  'crm.objects.owners.read',
  // Syncline creates its own properties (syncline_id, lead_source_system) before its first
  // push, which takes the schema write scopes; reading properties takes the object read ones.
  // https://developers.hubspot.com/docs/api/crm/properties
  'crm.schemas.contacts.write', 'crm.schemas.companies.write', 'crm.schemas.deals.write',
]

export const callbackUrl = () => new URL('/api/crm/oauth/callback', env().APP_URL).toString()

function clientConfig() {
  const e = env()
  if (!e.HUBSPOT_CLIENT_ID || !e.HUBSPOT_CLIENT_SECRET) {
    throw new CrmError('config', 'OAuth is not configured: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET')
  }
  return { basePath: e.HUBSPOT_API_BASE_URL, clientId: e.HUBSPOT_CLIENT_ID, clientSecret: e.HUBSPOT_CLIENT_SECRET }
}

export const oauthConfigured = () => !!(env().HUBSPOT_CLIENT_ID && env().HUBSPOT_CLIENT_SECRET)

/** Where to send the browser, and the nonce to keep in its cookie until the callback. */
export function startOAuth(tenantId: string): { url: string; nonce: string } {
  const { clientId } = clientConfig()
  const { state, nonce } = createState(tenantId)
  // https://developers.hubspot.com/docs/api/working-with-oauth#initiating-oauth-access
  const url = new URL('/oauth/authorize', env().HUBSPOT_AUTH_BASE_URL)
  url.searchParams.set('client_id', clientId)
  url.searchParams.set('redirect_uri', callbackUrl())
  url.searchParams.set('scope', OAUTH_SCOPES.join(' '))
  url.searchParams.set('state', state)
  return { url: url.toString(), nonce }
}

// The token response carries the portal as hub_id; the SDK may drop unknown fields, so
// account-info is the fallback. https://developers.hubspot.com/docs/api/oauth/tokens
const hubIdSchema = z.object({ hubId: z.union([z.number(), z.string()]) }).or(z.object({ hub_id: z.union([z.number(), z.string()]) }))

async function portalOf(raw: unknown, accessToken: string): Promise<string> {
  const parsed = hubIdSchema.safeParse(raw)
  if (parsed.success) return String('hubId' in parsed.data ? parsed.data.hubId : parsed.data.hub_id)
  const adapter = ADAPTERS.hubspot({ baseUrl: env().HUBSPOT_API_BASE_URL, tokens: { getAccessToken: async () => accessToken }, perTenSeconds: 10 })
  return adapter.accountId()
}

export interface OAuthResult {
  connection: Connection
  /** False when an existing connection to the same portal was re-authorized. */
  created: boolean
}

/**
 * The callback: checks the state against the browser's nonce and the workspace of whoever is
 * signed in (`tenantId`), exchanges the code, and stores the sealed tokens — on the tenant's
 * existing connection to that portal if there is one (a reconnect, whatever method it used
 * before), else on a new one.
 */
export async function completeOAuth(sql: Sql, p: { code: string; state: string; nonce: string | undefined; tenantId: string }): Promise<OAuthResult> {
  const check = verifyState(p.state, p.nonce)
  if (!check.ok) throw new CrmError('validation', `OAuth refused: ${check.error}`)
  // The nonce cookie binds the callback to a browser, not to a person: a cookie set on it from
  // elsewhere (a sibling subdomain can set one for the app's domain) with another workspace's
  // state would have stored this person's portal, tokens and all, in that workspace. The state
  // must be the signed-in person's own workspace's; the code is not spent otherwise.
  if (check.tenantId !== p.tenantId) {
    throw new CrmError('validation', 'OAuth refused: the sign-in with HubSpot was started from another workspace than the one signed in here')
  }
  const tokens = await exchangeCode(clientConfig(), p.code, callbackUrl())
  const portalId = await portalOf(tokens.raw, tokens.accessToken)
  const sealed = sealCredentials({ type: 'oauth', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt.toISOString() })
  return saveConnection(sql, {
    tenantId: check.tenantId, authMethod: 'oauth', portalId, credentialsEncrypted: sealed, tokenExpiresAt: tokens.expiresAt, label: `HubSpot ${portalId}`,
  })
}
