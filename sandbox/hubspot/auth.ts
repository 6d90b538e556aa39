import type { IncomingMessage } from 'node:http'
import { randomBytes, randomUUID } from 'node:crypto'
import { expiredAuth, invalidAuth } from './errors.js'
import type { Clock } from './clock.js'

/** The default private-app token the sandbox accepts (documented in README). */
export const DEFAULT_PRIVATE_APP_TOKEN = 'sandbox-token'

export interface AuthInfo {
  kind: 'private' | 'oauth'
  token: string
  /** Burst-limit bucket: each private app has its own, OAuth apps share one per app and portal. */
  bucket: string
  appId: number
  userId?: number
  /** What an OAuth token was granted; unset for a private app (the sandbox grants those everything). */
  scopes?: string[]
}

export interface OAuthClient {
  clientId: string
  clientSecret: string
  appId: number
  name: string
}

export interface RefreshToken {
  token: string
  clientId: string
  appId: number
  scopes: string[]
  userId: number
  userEmail: string
}

/** An access token carries what its refresh token grants, plus its expiry. */
export interface AccessToken extends RefreshToken {
  expiresAt: number
  refreshToken: string
}

export interface AuthCode {
  code: string
  clientId: string
  redirectUri: string
  scopes: string[]
  expiresAt: number
  userId: number
  userEmail: string
}

/** Every credential the portal knows: private-app tokens, OAuth clients, codes and tokens. */
export class AuthRegistry {
  privateTokens = new Map<string, { appId: number }>()
  clients = new Map<string, OAuthClient>()
  accessTokens = new Map<string, AccessToken>()
  refreshTokens = new Map<string, RefreshToken>()
  codes = new Map<string, AuthCode>()
  private nextPrivateAppId = 3000001

  constructor(private clock: Clock) {}

  addPrivateToken(token: string): void {
    if (!this.privateTokens.has(token)) this.privateTokens.set(token, { appId: this.nextPrivateAppId++ })
  }

  issueAccessToken(base: Omit<AccessToken, 'token' | 'expiresAt'>, ttlSeconds: number): AccessToken {
    // Real tokens are opaque strings up to 512 chars; this keeps the familiar "C..." look.
    const token = `CN${randomBytes(36).toString('base64url')}`
    const at: AccessToken = { ...base, token, expiresAt: this.clock.now() + ttlSeconds * 1000 }
    this.accessTokens.set(token, at)
    return at
  }

  issueRefreshToken(base: Omit<RefreshToken, 'token'>): RefreshToken {
    const rt: RefreshToken = { ...base, token: `na1-${randomUUID().slice(0, 4)}-${randomUUID()}` }
    this.refreshTokens.set(rt.token, rt)
    return rt
  }

  /** Resolves `Authorization: Bearer …`; throws HubSpot's 401s. */
  authenticate(req: IncomingMessage): AuthInfo {
    const header = req.headers.authorization ?? ''
    const m = /^Bearer\s+(.+)$/i.exec(header)
    if (!m) throw invalidAuth()
    const token = m[1].trim()
    const priv = this.privateTokens.get(token)
    if (priv) return { kind: 'private', token, bucket: `private:${token}`, appId: priv.appId }
    const at = this.accessTokens.get(token)
    if (!at) throw invalidAuth()
    const now = this.clock.now()
    if (now >= at.expiresAt) throw expiredAuth(Math.max(1, Math.floor((now - at.expiresAt) / 1000)))
    return { kind: 'oauth', token, bucket: `oauth:${at.appId}`, appId: at.appId, userId: at.userId, scopes: at.scopes }
  }
}
