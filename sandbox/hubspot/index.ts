import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SandboxConfig, Tier } from './config.js'
import { DEFAULT_PRIVATE_APP_TOKEN } from './auth.js'
import { Router } from './router.js'
import { createHandler } from './server.js'
import { Sandbox, type SandboxInit } from './state.js'
import { apiRoutes } from './routes/index.js'
import { controlRoutes } from './control/index.js'
import { seedPortal, type SeedCounts } from './seed.js'
import { WebhookService } from './webhooks/service.js'

/** The portal's own settings (ids, secrets, tokens, clock, config) are SandboxInit's. */
export interface HubSpotSandboxOptions extends Partial<SeedCounts>, SandboxInit {
  /** Default 4010; 0 picks a free port. */
  port?: number
  host?: string
  tier?: Tier
  /** Seed for deterministic data. */
  seed?: number
  /** Given, the app starts subscribed (creation, deletion, merge, restore, propertyChange) with this target. */
  webhookUrl?: string
  searchIndexLagMs?: number
  accessTokenTtlSeconds?: number
}

export interface HubSpotSandbox {
  url: string
  port: number
  portalId: number
  appId: number
  /** The default private-app token. */
  token: string
  clientId: string
  clientSecret: string
  developerApiKey: string
  /** The portal's state, for in-process tests that want to look inside. */
  state: Sandbox
  webhooks: WebhookService
  close(): Promise<void>
}

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const config: Partial<SandboxConfig> = { ...(options.config ?? {}) }
  if (options.tier) config.tier = options.tier
  if (options.searchIndexLagMs !== undefined) config.searchIndexLagMs = options.searchIndexLagMs
  if (options.accessTokenTtlSeconds !== undefined) config.accessTokenTtlSeconds = options.accessTokenTtlSeconds
  const sb = new Sandbox({
    portalId: options.portalId, appId: options.appId, clientId: options.clientId, clientSecret: options.clientSecret,
    developerApiKey: options.developerApiKey, tokens: options.tokens, clock: options.clock, config,
  })
  const webhooks = new WebhookService(sb)
  if (options.webhookUrl) webhooks.subscribeDefaults(options.webhookUrl)
  seedPortal(sb, {
    contacts: options.contacts ?? 0, companies: options.companies ?? 0, deals: options.deals ?? 0, owners: options.owners ?? 0,
    customProperties: options.customProperties ?? 0,
  }, options.seed ?? 1)

  const api = new Router()
  api.add(apiRoutes)
  const control = new Router()
  control.add(controlRoutes(webhooks))
  const server = createServer(createHandler(sb, api, control))
  server.keepAliveTimeout = 5000
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4010, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${host}:${port}`, port, portalId: sb.portalId, appId: sb.appId, token: DEFAULT_PRIVATE_APP_TOKEN,
    clientId: sb.clientId, clientSecret: sb.clientSecret, developerApiKey: sb.developerApiKey, state: sb, webhooks,
    close: async () => {
      webhooks.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export { ManualClock, type Clock } from './clock.js'
export type { Tier, SandboxConfig } from './config.js'
