import { z } from 'zod'
import { env } from '../../env'
import type { Connection } from '../../store/connections'
import type { Sql } from '../../store/db'
import { getWebhookStatus, retryFailedEvents, setWebhooksEnabled, type WebhookStatus } from '../../store/webhook-events'
import { forgetWebhookTargets } from './hubspot/receive'
import { pauseSubscriptions, registerSubscriptions, type AppCredentials, type RegisterResult } from './hubspot/subscriptions'

// Turning webhooks on and off for one connection (the routes under
// /api/v1/crm-integration/:id call these). Subscriptions belong to the HubSpot app, so
// they can be registered only where Syncline holds the app's developer key: a configured
// app (HUBSPOT_APP_ID + HUBSPOT_DEVELOPER_API_KEY) or the sandbox, whose key is public.

export const WEBHOOK_PATH = '/api/webhooks/hubspot'
const SANDBOX_DEV_KEY = 'sandbox-dev-key' // sandbox/hubspot/README.md: the sandbox's default

type AppSource = { app: AppCredentials; kind: 'configured' | 'sandbox' } | null

const sandboxHealthSchema = z.looseObject({ ok: z.literal(true), appId: z.number().int(), portalId: z.number().int() })

/** What the sandbox at `basePath` says of itself (its control API, sandbox/hubspot/README.md), or null when what answers there is not the sandbox. */
export async function sandboxHealth(basePath: string): Promise<{ appId: number; portalId: number } | null> {
  try {
    const res = await fetch(`${basePath.replace(/\/+$/, '')}/_sandbox/health`, { signal: AbortSignal.timeout(2_000) })
    const health = sandboxHealthSchema.safeParse(res.ok ? await res.json() : null)
    return health.success ? health.data : null
  } catch {
    // Not reachable or not the sandbox.
    return null
  }
}

/** HubSpot's own API hosts (api.hubapi.com, and regional ones such as api-eu1.hubapi.com): no sandbox there to ask. */
const isHubSpotHost = (url: string) => /(^|\.)hubapi\.com$/i.test(new URL(url).hostname)

async function appFor(connection: Connection): Promise<AppSource> {
  const e = env()
  // The base URL the connection's syncs use: its own, else HUBSPOT_API_BASE_URL (a
  // connection made in the dashboard stores none, and follows dev's sandbox there).
  const basePath = connection.apiBaseUrl ?? e.HUBSPOT_API_BASE_URL
  if (e.HUBSPOT_APP_ID && e.HUBSPOT_DEVELOPER_API_KEY) {
    return { kind: 'configured', app: { basePath, appId: Number(e.HUBSPOT_APP_ID), developerApiKey: e.HUBSPOT_DEVELOPER_API_KEY } }
  }
  if (isHubSpotHost(basePath)) return null
  // The sandbox answers its control API with its app id; anything else is not the sandbox: nothing to register.
  const health = await sandboxHealth(basePath)
  return health ? { kind: 'sandbox', app: { basePath, appId: health.appId, developerApiKey: SANDBOX_DEV_KEY } } : null
}

export interface EnableResult {
  status: WebhookStatus
  targetUrl: string
  /** Null when the subscriptions are managed elsewhere (HubSpot's developer portal). */
  registration: (RegisterResult & { app: 'configured' | 'sandbox' }) | null
}

export async function enableWebhooks(sql: Sql, connection: Connection, publicBaseUrl = env().APP_URL): Promise<EnableResult> {
  const targetUrl = publicBaseUrl.replace(/\/+$/, '') + WEBHOOK_PATH
  const source = await appFor(connection)
  const registration = source ? { ...(await registerSubscriptions(source.app, targetUrl)), app: source.kind } : null
  await setWebhooksEnabled(sql, connection.id, true)
  forgetWebhookTargets()
  return { status: (await getWebhookStatus(sql, connection.id))!, targetUrl, registration }
}

export interface DisableResult {
  status: WebhookStatus
  paused: number
}

/**
 * Deliveries for the connection are ignored from now on. The sandbox serves one portal, so
 * its subscriptions are paused too; a real app's are shared by every portal and stay.
 */
export async function disableWebhooks(sql: Sql, connection: Connection): Promise<DisableResult> {
  await setWebhooksEnabled(sql, connection.id, false)
  forgetWebhookTargets()
  const source = await appFor(connection)
  const paused = source?.kind === 'sandbox' ? await pauseSubscriptions(source.app) : 0
  return { status: (await getWebhookStatus(sql, connection.id))!, paused }
}

export interface RetryResult {
  retried: number
  status: WebhookStatus
}

/**
 * Events that failed every attempt (HubSpot down for a while, a token that needed
 * re-authorizing) are made pending again; `schedule` applies them after the answer.
 */
export async function retryFailedWebhooks(sql: Sql, connection: Connection, schedule: (connectionId: string) => void): Promise<RetryResult> {
  const retried = await retryFailedEvents(sql, connection.id)
  if (retried > 0) schedule(connection.id)
  return { retried, status: (await getWebhookStatus(sql, connection.id))! }
}
