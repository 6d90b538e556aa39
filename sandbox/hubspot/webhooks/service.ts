import type { ChangeEvent } from '../events.js'
import type { Sandbox } from '../state.js'
import { buildPayload, subscriptionTypeOf, type EventPayload } from './payload.js'
import { deliverBatch } from './deliver.js'
import { SYNCED_PROPERTIES, type AppWebhooks } from './subscriptions.js'

// https://developers.hubspot.com/docs/api/webhooks — up to 100 events per request, at most
// 10 requests in flight, failures retried (up to 10 times) with an increasing attemptNumber.
const MAX_BATCH = 100

export interface DeliveryLogEntry {
  at: number
  appId: number
  targetUrl: string
  attemptNumber: number
  eventIds: number[]
  status?: number
  error?: string
  ok: boolean
}

export class WebhookService {
  readonly apps = new Map<number, AppWebhooks>()
  readonly log: DeliveryLogEntry[] = []
  private queues = new Map<number, EventPayload[]>()
  private inFlight = 0
  private retrying = 0
  private timer?: NodeJS.Timeout
  /** When the armed batch timer started counting (wall time, as setTimeout counts). */
  private armedAt = 0
  private retryTimers = new Set<NodeJS.Timeout>()
  private waiters: Array<() => void> = []
  private nextEventId = 1000
  private nextSubscriptionId = 100
  private stopped = false
  delivered = 0
  failed = 0

  constructor(private sb: Sandbox) {
    sb.webhooks = this
    sb.onChange((e) => this.onChange(e))
  }

  app(appId: number): AppWebhooks {
    let a = this.apps.get(appId)
    if (!a) this.apps.set(appId, (a = { subscriptions: [] }))
    return a
  }

  newSubscriptionId(): number {
    return this.nextSubscriptionId++
  }

  /** `--webhook-url`: creation, deletion, merge, restore and propertyChange for synced properties. */
  subscribeDefaults(targetUrl: string): void {
    const now = this.sb.clock.now()
    const app = this.app(this.sb.appId)
    app.settings = { targetUrl, throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' }, createdAt: now, updatedAt: now }
    for (const obj of ['contact', 'company', 'deal'] as const) {
      for (const kind of ['creation', 'deletion', 'merge', 'restore']) {
        app.subscriptions.push({ id: this.newSubscriptionId(), eventType: `${obj}.${kind}`, active: true, createdAt: now, updatedAt: now })
      }
      for (const propertyName of SYNCED_PROPERTIES[obj]) {
        app.subscriptions.push({ id: this.newSubscriptionId(), eventType: `${obj}.propertyChange`, propertyName, active: true, createdAt: now, updatedAt: now })
      }
    }
  }

  private onChange(e: ChangeEvent): void {
    const { subscriptionType, propertyName } = subscriptionTypeOf(e)
    for (const [appId, app] of this.apps) {
      if (!app.settings) continue
      for (const sub of app.subscriptions) {
        if (!sub.active || sub.eventType !== subscriptionType) continue
        if (sub.eventType.endsWith('.propertyChange') && sub.propertyName !== propertyName) continue
        const payload = buildPayload(e, { eventId: this.nextEventId++, subscriptionId: sub.id, portalId: this.sb.portalId, appId })
        let q = this.queues.get(appId)
        if (!q) this.queues.set(appId, (q = []))
        q.push(payload)
      }
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.queued() === 0) return
    this.armedAt = Date.now()
    this.arm(this.sb.config.webhookBatchDelayMs)
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.pump()
    }, delayMs)
  }

  /**
   * The batch delay changed (`PATCH /_sandbox/config`): a batch already waiting goes out
   * once the new delay has passed since it started waiting (at once if it already has),
   * instead of on the old timer — 10 minutes, say, after a test set it back to 50 ms.
   */
  batchDelayChanged(): void {
    if (!this.timer) return
    clearTimeout(this.timer)
    this.arm(Math.max(0, this.armedAt + this.sb.config.webhookBatchDelayMs - Date.now()))
  }

  private queued(): number {
    let n = 0
    for (const q of this.queues.values()) n += q.length
    return n
  }

  private pump(): void {
    for (const [appId, q] of this.queues) {
      const app = this.apps.get(appId)
      const max = app?.settings?.throttling.maxConcurrentRequests ?? 10
      while (q.length && this.inFlight < max) {
        const batch = q.splice(0, MAX_BATCH)
        if (!app?.settings) continue
        void this.send(appId, app.settings.targetUrl, batch, 0)
      }
    }
    this.settle()
  }

  private async send(appId: number, targetUrl: string, batch: EventPayload[], attemptNumber: number): Promise<void> {
    this.inFlight++
    const body = JSON.stringify(batch.map((e) => ({ ...e, attemptNumber })))
    const timestamp = this.sb.clock.now()
    const res = await deliverBatch({ targetUrl, body, clientSecret: this.sb.clientSecret, timestamp: this.sb.clock.baseNow(), timeoutMs: this.sb.config.webhookTimeoutMs })
    this.inFlight--
    this.log.push({ at: timestamp, appId, targetUrl, attemptNumber, eventIds: batch.map((e) => e.eventId), ok: res.ok, status: res.status, error: res.error })
    if (this.log.length > 1000) this.log.splice(0, this.log.length - 1000)
    if (res.ok) this.delivered += batch.length
    else if (attemptNumber < this.sb.config.webhookMaxRetries && !this.stopped) this.retry(appId, targetUrl, batch, attemptNumber + 1)
    else this.failed += batch.length
    if (this.queued()) this.pump()
    this.settle()
  }

  private retry(appId: number, targetUrl: string, batch: EventPayload[], attemptNumber: number): void {
    const delays = this.sb.config.webhookRetryDelaysMs
    const delay = delays[Math.min(attemptNumber - 1, delays.length - 1)] ?? 1000
    this.retrying++
    const t = setTimeout(() => {
      this.retryTimers.delete(t)
      this.retrying--
      void this.send(appId, targetUrl, batch, attemptNumber)
    }, delay)
    this.retryTimers.add(t)
  }

  /** Events queued, in flight or waiting for a retry. */
  pending(): number {
    return this.queued() + this.inFlight + this.retrying
  }

  /** Resolves once every pending event is delivered or has given up (or after `timeoutMs`). */
  flush(timeoutMs = 30_000): Promise<boolean> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
      this.pump()
    }
    if (this.pending() === 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs)
      this.waiters.push(() => {
        clearTimeout(t)
        resolve(true)
      })
    })
  }

  private settle(): void {
    if (this.pending() > 0) return
    const w = this.waiters
    this.waiters = []
    for (const fn of w) fn()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    for (const t of this.retryTimers) clearTimeout(t)
    this.retryTimers.clear()
    this.retrying = 0
    this.queues.clear()
    this.settle()
  }
}
