import { Client } from '@hubspot/api-client'
import { z } from 'zod'
import { CrmError } from '../errors'

const tokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
})

export interface OAuthTokens {
  accessToken: string
  refreshToken: string
  expiresAt: Date
}

export interface OAuthClientConfig {
  basePath: string
  clientId: string
  clientSecret: string
}

// https://developers.hubspot.com/docs/api/oauth/tokens — access tokens last 30 minutes.
export async function exchangeCode(cfg: OAuthClientConfig, code: string, redirectUri: string): Promise<OAuthTokens & { raw: unknown }> {
  return tokenCall(cfg, (c) => c.oauth.tokensApi.create('authorization_code', code, redirectUri, cfg.clientId, cfg.clientSecret))
}

export async function refreshTokens(cfg: OAuthClientConfig, refreshToken: string): Promise<OAuthTokens & { raw: unknown }> {
  return tokenCall(cfg, (c) => c.oauth.tokensApi.create('refresh_token', undefined, undefined, cfg.clientId, cfg.clientSecret, refreshToken))
}

async function tokenCall(cfg: OAuthClientConfig, fn: (c: Client) => Promise<unknown>): Promise<OAuthTokens & { raw: unknown }> {
  const client = new Client({ basePath: cfg.basePath.replace(/\/+$/, '') })
  let raw: unknown
  try {
    raw = await fn(client)
  } catch (e) {
    const code = (e as { code?: number }).code
    // 400 invalid_grant: the refresh token was revoked or the code is spent — reconnect.
    if (code === 400 || code === 401) throw new CrmError('auth_expired', 'HubSpot refused the OAuth grant; reconnect the CRM', { cause: e })
    throw new CrmError('transient', 'HubSpot token endpoint failed', { cause: e })
  }
  const parsed = tokenResponseSchema.safeParse(raw)
  if (!parsed.success) throw new CrmError('bad_response', 'HubSpot token response did not match', { cause: parsed.error })
  return {
    accessToken: parsed.data.accessToken,
    refreshToken: parsed.data.refreshToken,
    expiresAt: new Date(Date.now() + parsed.data.expiresIn * 1000),
    raw,
  }
}
