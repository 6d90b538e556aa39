import { OffsetClock, WriteStamp, systemClock, type Clock } from './clock.js'
import { DEFAULT_CONFIG, type SandboxConfig } from './config.js'
import { ObjectStore } from './store.js'
import { SearchIndex } from './search/search-index.js'
import { PropertyRegistry } from './properties/registry.js'
import { AssociationStore } from './associations.js'
import { AuthRegistry, DEFAULT_PRIVATE_APP_TOKEN } from './auth.js'
import { RateLimiter } from './rate-limit.js'
import { Faults } from './faults.js'
import type { Owner } from './owners.js'
import type { ChangeEvent, ChangeListener } from './events.js'
import type { WebhookService } from './webhooks/service.js'

export const DEFAULT_PORTAL_ID = 62515
export const DEFAULT_APP_ID = 1160452
export const DEFAULT_CLIENT_ID = 'sandbox-client-id'
export const DEFAULT_CLIENT_SECRET = 'sandbox-client-secret'
export const DEFAULT_DEV_API_KEY = 'sandbox-dev-key'

export interface SandboxInit {
  portalId?: number
  /** The public app's id (OAuth client and webhook subscriptions). */
  appId?: number
  clientId?: string
  clientSecret?: string
  developerApiKey?: string
  /** Extra private-app tokens accepted besides `sandbox-token`. */
  tokens?: string[]
  /** Injectable time source (rate-limit windows, token expiry, index lag). */
  clock?: Clock
  /** Any other runtime setting (search filter caps, webhook retry delays, ...). */
  config?: Partial<SandboxConfig>
}

/** Everything one emulated HubSpot portal holds. Routes receive it as `ctx.sb`. */
export class Sandbox {
  readonly portalId: number
  readonly appId: number
  readonly clientId: string
  readonly clientSecret: string
  readonly developerApiKey: string
  readonly clock: OffsetClock
  readonly stamp: WriteStamp
  readonly config: SandboxConfig
  readonly store = new ObjectStore()
  readonly index = new SearchIndex()
  readonly properties = new PropertyRegistry()
  readonly associations = new AssociationStore()
  owners: Owner[] = []
  readonly auth: AuthRegistry
  readonly limiter: RateLimiter
  readonly faults = new Faults()
  readonly stats = new Map<string, number>()
  /** Counted calls by the status answered; the last refusals (4xx/5xx) with their call, for a test to show. */
  readonly answered = new Map<number, number>()
  readonly refusals: Array<{ at: number; call: string; status: number }> = []
  private listeners: ChangeListener[] = []
  /** Set by WebhookService when it attaches. */
  webhooks!: WebhookService

  constructor(init: SandboxInit = {}) {
    this.portalId = init.portalId ?? DEFAULT_PORTAL_ID
    this.appId = init.appId ?? DEFAULT_APP_ID
    this.clientId = init.clientId ?? DEFAULT_CLIENT_ID
    this.clientSecret = init.clientSecret ?? DEFAULT_CLIENT_SECRET
    this.developerApiKey = init.developerApiKey ?? DEFAULT_DEV_API_KEY
    this.clock = new OffsetClock(init.clock ?? systemClock)
    this.stamp = new WriteStamp(this.clock)
    this.config = { ...DEFAULT_CONFIG, ...(init.config ?? {}) }
    this.auth = new AuthRegistry(this.clock)
    this.auth.addPrivateToken(DEFAULT_PRIVATE_APP_TOKEN)
    for (const t of init.tokens ?? []) this.auth.addPrivateToken(t)
    this.auth.clients.set(this.clientId, { clientId: this.clientId, clientSecret: this.clientSecret, appId: this.appId, name: 'Syncline' })
    this.limiter = new RateLimiter(this.clock, () => this.config.tier)
  }

  onChange(l: ChangeListener): void {
    this.listeners.push(l)
  }

  emit(e: ChangeEvent): void {
    for (const l of this.listeners) l(e)
  }

  /** Wipes records, associations, custom properties and owners (tokens and apps stay). */
  resetData(): void {
    this.store.reset()
    this.index.reset()
    this.properties.reset()
    this.associations.reset()
    this.owners = []
  }

  count(key: string): void {
    this.stats.set(key, (this.stats.get(key) ?? 0) + 1)
  }

  countAnswer(call: string, status: number): void {
    this.answered.set(status, (this.answered.get(status) ?? 0) + 1)
    if (status < 400) return
    this.refusals.push({ at: this.clock.now(), call, status })
    if (this.refusals.length > 100) this.refusals.shift()
  }

  clearStats(): void {
    this.stats.clear()
    this.answered.clear()
    this.refusals.length = 0
  }
}
