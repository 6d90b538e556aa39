import { HubSpotError, validation } from '../errors.js'
import { json, noContent } from '../http.js'
import type { Ctx, Route } from '../router.js'
import { EVENT_TYPES, settingsJson, subscriptionJson, type Subscription } from './subscriptions.js'

// https://developers.hubspot.com/docs/api/webhooks — management API, developer API key (`hapikey`).
const MAX_SUBSCRIPTIONS = 1000

const app = (ctx: Ctx) => ctx.sb.webhooks.app(Number(ctx.params.appId))

function findSub(ctx: Ctx): Subscription {
  const sub = app(ctx).subscriptions.find((s) => String(s.id) === ctx.params.subscriptionId)
  if (!sub) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Subscription ${ctx.params.subscriptionId} not found`)
  return sub
}

const r = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern: `/webhooks/v3/:appId${pattern}`, auth: 'devkey', limit: 'none', handler })

export const webhookSettingsRoutes: Route[] = [
  r('GET', '/settings', (ctx) => {
    const s = app(ctx).settings
    if (!s) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'No webhook settings configured for this app')
    return json(200, settingsJson(s))
  }),
  r('PUT', '/settings', (ctx) => {
    const b = ctx.body() as { targetUrl?: string; throttling?: { maxConcurrentRequests?: number; period?: string } }
    if (!b?.targetUrl) throw validation('targetUrl is required')
    const max = b.throttling?.maxConcurrentRequests ?? 10
    if (max < 5) throw validation('maxConcurrentRequests must be at least 5')
    const now = ctx.sb.clock.now()
    const a = app(ctx)
    a.settings = { targetUrl: b.targetUrl, throttling: { maxConcurrentRequests: max, period: b.throttling?.period ?? 'SECONDLY' }, createdAt: a.settings?.createdAt ?? now, updatedAt: now }
    return json(200, settingsJson(a.settings))
  }),
  r('DELETE', '/settings', (ctx) => {
    app(ctx).settings = undefined
    return noContent()
  }),
  r('GET', '/subscriptions', (ctx) => json(200, { results: app(ctx).subscriptions.map(subscriptionJson) })),
  r('POST', '/subscriptions', (ctx) => {
    const b = ctx.body() as { eventType?: string; propertyName?: string; active?: boolean }
    if (!b?.eventType || !EVENT_TYPES.has(b.eventType)) throw validation(`Invalid eventType ${b?.eventType}`)
    if (b.eventType.endsWith('.propertyChange') && !b.propertyName) throw validation('propertyName is required for propertyChange subscriptions')
    if (b.propertyName === 'hs_lastmodifieddate' || b.propertyName === 'num_unique_conversion_events') throw validation(`Cannot subscribe to ${b.propertyName}`)
    const a = app(ctx)
    if (a.subscriptions.length >= MAX_SUBSCRIPTIONS) {
      throw validation("Couldn't create another subscription. You've reached the maximum number allowed per application (1000).")
    }
    const now = ctx.sb.clock.now()
    // New subscriptions are created paused unless `active` is given.
    const sub: Subscription = { id: ctx.sb.webhooks.newSubscriptionId(), eventType: b.eventType, propertyName: b.propertyName, active: b.active ?? false, createdAt: now, updatedAt: now }
    a.subscriptions.push(sub)
    return json(201, subscriptionJson(sub))
  }),
  r('POST', '/subscriptions/batch/update', (ctx) => {
    const started = ctx.sb.clock.now()
    const inputs = (ctx.body() as { inputs?: Array<{ id: number | string; active: boolean }> })?.inputs ?? []
    const results = inputs.map((i) => {
      const sub = app(ctx).subscriptions.find((s) => String(s.id) === String(i.id))
      if (!sub) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Subscription ${i.id} not found`)
      Object.assign(sub, { active: !!i.active, updatedAt: ctx.sb.clock.now() })
      return subscriptionJson(sub)
    })
    return json(200, { status: 'COMPLETE', results, startedAt: new Date(started).toISOString(), completedAt: new Date(ctx.sb.clock.now()).toISOString() })
  }),
  r('GET', '/subscriptions/:subscriptionId', (ctx) => json(200, subscriptionJson(findSub(ctx)))),
  r('PATCH', '/subscriptions/:subscriptionId', (ctx) => {
    const sub = findSub(ctx)
    const b = ctx.body() as { active?: boolean }
    if (typeof b?.active === 'boolean') sub.active = b.active
    sub.updatedAt = ctx.sb.clock.now()
    return json(200, subscriptionJson(sub))
  }),
  r('DELETE', '/subscriptions/:subscriptionId', (ctx) => {
    const a = app(ctx)
    a.subscriptions = a.subscriptions.filter((s) => String(s.id) !== ctx.params.subscriptionId)
    return noContent()
  }),
]
