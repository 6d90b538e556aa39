import { createHmac } from 'node:crypto'
import { Nango } from '@nangohq/node'
import { z } from 'zod'
import { env } from '../env'
import { HttpError } from '../http'
import { sameSecret } from '../secrets'
import { findConnectionByNangoId, saveConnection, setConnectionStatus, type Connection } from '../store/connections'
import type { Sql } from '../store/db'
import { ADAPTERS } from './adapters/registry'
import { CrmError } from './errors'
import { nangoRefreshCheck } from './nango-refresh-check'

// Connecting through Nango: Nango holds (and refreshes) the OAuth tokens; we keep the
// connection id and ask Nango for a token when a sync needs one (auth/token-source.ts).

export const nangoConfigured = () => !!env().NANGO_SECRET_KEY

function client(): Nango {
  const e = env()
  if (!e.NANGO_SECRET_KEY) throw new CrmError('config', 'Nango is not configured: set NANGO_SECRET_KEY')
  return new Nango({ secretKey: e.NANGO_SECRET_KEY, host: e.NANGO_HOST })
}

/** A Connect session token for the browser's Connect UI, tagged with the tenant so the connection is ours to claim. */
export async function createNangoSession(tenantId: string): Promise<{ token: string; expiresAt: string }> {
  // https://docs.nango.dev/reference/api/connect/sessions/create — 30-minute session.
  const res = await client().createConnectSession({
    tags: { end_user_id: tenantId, organization_id: tenantId },
    allowed_integrations: [env().NANGO_HUBSPOT_INTEGRATION_ID],
  })
  return { token: res.data.token, expiresAt: res.data.expires_at }
}

const nangoConnectionSchema = z.object({
  connection_id: z.string(),
  provider_config_key: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  end_user: z.object({ id: z.string().optional() }).passthrough().nullish(),
})

/**
 * Saves the connection the browser reports after Connect UI's `connect` event (or that
 * Nango's auth webhook announces). The browser is not trusted: the connection is read back
 * from Nango and must carry this tenant's tag.
 */
export async function saveNangoConnection(sql: Sql, tenantId: string, ids: { connectionId: string; providerConfigKey: string }): Promise<{ connection: Connection; created: boolean }> {
  const existing = await findConnectionByNangoId(sql, tenantId, ids.connectionId)
  if (existing) return { connection: existing, created: false }
  // https://docs.nango.dev/reference/api/connection/get
  const raw = await client().getConnection(ids.providerConfigKey, ids.connectionId).catch((e: unknown) => {
    throw new CrmError('not_found', 'Nango does not know this connection', { cause: e })
  })
  // Nango's answer, not the caller's input: one that does not parse is Nango's fault (502),
  // not a 400 naming fields the caller never sent.
  const parsed = nangoConnectionSchema.safeParse(raw)
  if (!parsed.success) {
    console.error('[syncline] Nango connection unreadable', parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`))
    throw new HttpError(502, 'bad_gateway', 'Nango answered with connection details Syncline cannot read; it has been logged')
  }
  const nc = parsed.data
  const owner = nc.tags?.organization_id ?? nc.tags?.end_user_id ?? nc.end_user?.id
  if (owner !== tenantId) throw new CrmError('forbidden', 'This Nango connection belongs to another workspace')
  // The portal is HubSpot's answer for the token (GET /account-info/v3/details), not the portalId
  // in Nango's connection_config: the portal decides which workspaces HubSpot's webhook deliveries
  // (property values included) are stored for, and a connection_config value that is not
  // HubSpot's (Nango's frontend passes connection-config params from the browser; whether its
  // HubSpot provider always overwrites portalId is not documented) would have given this
  // workspace another portal's events. One API call per connect.
  const nango = client()
  const adapter = ADAPTERS.hubspot({
    baseUrl: env().HUBSPOT_API_BASE_URL, perTenSeconds: 10,
    tokens: { getAccessToken: async () => String(await nango.getToken(nc.provider_config_key, nc.connection_id)) },
  })
  const portalId = await adapter.accountId()
  // A portal the tenant already has a connection to keeps it, now authorized through Nango.
  return saveConnection(sql, {
    tenantId, authMethod: 'nango', nangoConnectionId: nc.connection_id, nangoProviderConfigKey: nc.provider_config_key,
    portalId, label: `HubSpot ${portalId} (Nango)`,
  })
}

export type WebhookCheck = { ok: true } | { ok: false; error: string }

/** X-Nango-Hmac-Sha256 = HMAC-SHA256 hex of the raw body with the webhook signing key. https://docs.nango.dev/guides/webhooks/webhooks-from-nango */
export function verifyNangoSignature(rawBody: string, signature: string | null, secret: string): WebhookCheck {
  if (!signature) return { ok: false, error: 'missing X-Nango-Hmac-Sha256' }
  const expected = createHmac('sha256', secret).update(rawBody).digest('hex')
  return sameSecret(expected, signature.trim().toLowerCase()) ? { ok: true } : { ok: false, error: 'bad signature' }
}

export const nangoAuthWebhookSchema = z.object({
  from: z.string(),
  type: z.literal('auth'),
  connectionId: z.string().min(1),
  providerConfigKey: z.string().min(1),
  operation: z.enum(['creation', 'override', 'refresh']).or(z.string()),
  success: z.boolean(),
  tags: z.record(z.string(), z.string()).optional(),
  endUser: z.object({ endUserId: z.string().optional(), organizationId: z.string().optional() }).passthrough().optional(),
  error: z.object({ type: z.string().optional(), description: z.string().optional() }).passthrough().optional(),
}).passthrough()
export type NangoAuthWebhook = z.infer<typeof nangoAuthWebhookSchema>

/**
 * Nango's auth webhook: a new connection is saved (read back from Nango); a failed refresh asks
 * the user to reconnect once Nango confirms it still fails (`stale` when Nango refreshes it fine:
 * a replayed or outdated delivery; see nango-refresh-check.ts).
 */
export async function handleNangoAuthWebhook(sql: Sql, w: NangoAuthWebhook): Promise<{ outcome: 'saved' | 'needs_reauth' | 'stale' | 'ignored' }> {
  const tenantId = w.tags?.organization_id ?? w.tags?.end_user_id ?? w.endUser?.organizationId ?? w.endUser?.endUserId
  if (!tenantId || !z.guid().safeParse(tenantId).success) return { outcome: 'ignored' }
  if (w.success && (w.operation === 'creation' || w.operation === 'override')) {
    await saveNangoConnection(sql, tenantId, { connectionId: w.connectionId, providerConfigKey: w.providerConfigKey })
    return { outcome: 'saved' }
  }
  if (!w.success) {
    const existing = await findConnectionByNangoId(sql, tenantId, w.connectionId)
    if (!existing) return { outcome: 'ignored' }
    const check = await nangoRefreshCheck(client(), w.providerConfigKey, w.connectionId).catch((e: unknown) => {
      console.error('[syncline] Nango refresh-failure webhook: Nango could not be asked to confirm it', e instanceof Error ? e.message : e)
      // Nothing is known, so nothing is marked; a non-2xx has Nango deliver it again.
      throw new HttpError(503, 'nango_unconfirmed', 'Nango could not be asked whether the refresh still fails; the connection was not marked')
    })
    if (!check.failing) return { outcome: 'stale' }
    await setConnectionStatus(sql, existing.id, 'needs_reauth', w.error?.description ?? 'Nango could not refresh the token')
    return { outcome: 'needs_reauth' }
  }
  return { outcome: 'ignored' }
}
