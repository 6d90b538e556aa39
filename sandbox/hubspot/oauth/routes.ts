import { randomBytes } from 'node:crypto'
import { HubSpotError } from '../errors.js'
import { json, noContent, redirect, type Reply } from '../http.js'
import type { Ctx, Route } from '../router.js'
import type { Sandbox } from '../state.js'
import { consentPage, errorPage } from './consent-page.js'

// https://developers.hubspot.com/docs/api/oauth-quickstart-guide and .../oauth/tokens (v1).

const CODE_TTL_MS = 10 * 60 * 1000

/** The person clicking "Connect app": the portal's first active owner, or a default admin. */
function installingUser(sb: Sandbox): { userId: number; email: string } {
  const o = sb.owners.find((x) => !x.archived && x.userId !== null)
  return o ? { userId: o.userId!, email: o.email } : { userId: 9186300, email: 'admin@syncline-demo.com' }
}

/** OAuth errors carry RFC 6749 fields plus HubSpot's status/message. */
function oauthError(status: string, message: string, error = 'invalid_grant'): HubSpotError {
  return new HubSpotError(400, status, message, { body: { status, message, error, error_description: message } })
}

function authorizePage(ctx: Ctx): Reply {
  const q = ctx.query
  const client = ctx.sb.auth.clients.get(q.get('client_id') ?? '')
  if (!client) return { status: 400, html: errorPage(`Unknown client_id "${q.get('client_id') ?? ''}".`) }
  const redirectUri = q.get('redirect_uri')
  if (!redirectUri) return { status: 400, html: errorPage('redirect_uri is required.') }
  const scopes = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean)
  const user = installingUser(ctx.sb)
  return { status: 200, html: consentPage({ appName: client.name, portalId: ctx.sb.portalId, userEmail: user.email, scopes, params: q }) }
}

function authorizeDecision(ctx: Ctx): Reply {
  const f = ctx.form()
  const redirectUri = f.get('redirect_uri') ?? ''
  const client = ctx.sb.auth.clients.get(f.get('client_id') ?? '')
  if (!client || !redirectUri) return { status: 400, html: errorPage('Invalid authorization request.') }
  const target = new URL(redirectUri)
  const state = f.get('state')
  if (f.get('decision') !== 'allow') {
    target.searchParams.set('error', 'access_denied')
    target.searchParams.set('error_description', 'The user denied the authorization request')
  } else {
    const code = randomBytes(18).toString('hex')
    const user = installingUser(ctx.sb)
    const scopes = [...(f.get('scope') ?? '').split(/[\s+]+/), ...(f.get('optional_scope') ?? '').split(/[\s+]+/)].filter(Boolean)
    ctx.sb.auth.codes.set(code, { code, clientId: client.clientId, redirectUri, scopes, expiresAt: ctx.sb.clock.now() + CODE_TTL_MS, userId: user.userId, userEmail: user.email })
    target.searchParams.set('code', code)
  }
  if (state !== null) target.searchParams.set('state', state)
  return redirect(target.toString())
}

function token(ctx: Ctx): Reply {
  const f = ctx.form()
  const sb = ctx.sb
  const grant = f.get('grant_type')
  const client = sb.auth.clients.get(f.get('client_id') ?? '')
  if (!client) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id', 'invalid_client')
  if (f.get('client_secret') !== client.clientSecret) throw oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret', 'invalid_client')
  const ttl = sb.config.accessTokenTtlSeconds
  if (grant === 'authorization_code') {
    const code = sb.auth.codes.get(f.get('code') ?? '')
    if (!code || code.clientId !== client.clientId || code.expiresAt < sb.clock.now()) throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code')
    if (code.redirectUri !== f.get('redirect_uri')) throw oauthError('BAD_REDIRECT_URI', 'redirect URI does not match initial auth code URI')
    sb.auth.codes.delete(code.code) // codes are single-use
    const rt = sb.auth.issueRefreshToken({ clientId: client.clientId, appId: client.appId, scopes: code.scopes, userId: code.userId, userEmail: code.userEmail })
    const at = sb.auth.issueAccessToken({ clientId: client.clientId, appId: client.appId, scopes: code.scopes, userId: code.userId, userEmail: code.userEmail, refreshToken: rt.token }, ttl)
    return json(200, tokenResponse(sb, at.token, rt.token, ttl, code.scopes, code.userId))
  }
  if (grant === 'refresh_token') {
    const rt = sb.auth.refreshTokens.get(f.get('refresh_token') ?? '')
    if (!rt || rt.clientId !== client.clientId) throw oauthError('BAD_REFRESH_TOKEN', 'refresh token is invalid, expired or revoked')
    // HubSpot keeps the same refresh token; only the access token is new.
    const at = sb.auth.issueAccessToken({ clientId: rt.clientId, appId: rt.appId, scopes: rt.scopes, userId: rt.userId, userEmail: rt.userEmail, refreshToken: rt.token }, ttl)
    return json(200, tokenResponse(sb, at.token, rt.token, ttl, rt.scopes, rt.userId))
  }
  throw oauthError('BAD_GRANT_TYPE', 'grant_type must be one of authorization_code, refresh_token', 'unsupported_grant_type')
}

function tokenResponse(sb: Sandbox, accessToken: string, refreshToken: string, ttl: number, scopes: string[], userId: number) {
  return { token_type: 'bearer', refresh_token: refreshToken, access_token: accessToken, expires_in: ttl, hub_id: sb.portalId, scopes, user_id: userId, token_use: 'access_token' }
}

const hubDomain = (sb: Sandbox) => `sandbox-${sb.portalId}.hubspot.com`

function accessTokenInfo(ctx: Ctx): Reply {
  const at = ctx.sb.auth.accessTokens.get(ctx.params.token)
  if (!at) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Token not found')
  const sb = ctx.sb
  const expiresIn = Math.max(0, Math.floor((at.expiresAt - sb.clock.now()) / 1000))
  return json(200, {
    token: at.token, user: at.userEmail, hub_domain: hubDomain(sb), scopes: at.scopes,
    signed_access_token: {
      expiresAt: at.expiresAt, scopes: at.scopes.join(' '), hubId: sb.portalId, userId: at.userId, appId: at.appId,
      signature: '', scopeToScopeGroupPks: '', newSignature: '', hublet: 'na1', trialScopes: '', trialScopeToScopeGroupPks: '', isUserLevel: false,
    },
    hub_id: sb.portalId, app_id: at.appId, expires_in: expiresIn, user_id: at.userId, token_type: 'access',
  })
}

function refreshTokenInfo(ctx: Ctx): Reply {
  const rt = ctx.sb.auth.refreshTokens.get(ctx.params.token)
  if (!rt) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Token not found')
  return json(200, { token: rt.token, user: rt.userEmail, hub_domain: hubDomain(ctx.sb), scopes: rt.scopes, hub_id: ctx.sb.portalId, client_id: rt.clientId, user_id: rt.userId, token_type: 'refresh' })
}

const r = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern, auth: 'none', limit: 'none', handler })

export const oauthRoutes: Route[] = [
  r('GET', '/oauth/authorize', authorizePage),
  r('GET', '/oauth/:accountId/authorize', authorizePage),
  r('POST', '/oauth/authorize', authorizeDecision),
  r('POST', '/oauth/v1/token', token),
  r('GET', '/oauth/v1/access-tokens/:token', accessTokenInfo),
  r('GET', '/oauth/v1/refresh-tokens/:token', refreshTokenInfo),
  r('DELETE', '/oauth/v1/refresh-tokens/:token', (ctx) => {
    ctx.sb.auth.refreshTokens.delete(ctx.params.token)
    return noContent()
  }),
]
