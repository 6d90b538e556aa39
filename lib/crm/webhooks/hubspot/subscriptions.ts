import { Client } from '@hubspot/api-client'
import { z } from 'zod'
import { PROPERTY_OF } from '../../adapters/hubspot/mapping'
import { OBJECT_TYPES } from '../../types'

// Webhook subscriptions live on the HubSpot app (developer API key), not on a portal:
// one target URL and one set of subscriptions for every portal that installed the app.
// https://developers.hubspot.com/docs/api/webhooks (Webhooks v3: settings, subscriptions)

export interface AppCredentials {
  basePath: string
  appId: number
  developerApiKey: string
}

/** What Syncline listens to: every lifecycle event, and each property it maps. */
export function wantedSubscriptions(): Array<{ eventType: string; propertyName?: string }> {
  return OBJECT_TYPES.flatMap((type) => [
    ...['creation', 'deletion', 'merge', 'restore', 'associationChange'].map((kind) => ({ eventType: `${type}.${kind}` })),
    // hs_lastmodifieddate cannot be subscribed to; the mapped properties never include it.
    ...Object.values(PROPERTY_OF[type]).map((propertyName) => ({ eventType: `${type}.propertyChange`, propertyName })),
  ])
}

const subscriptionSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(Number),
  eventType: z.string(),
  propertyName: z.string().nullish(),
  active: z.boolean(),
})
const listSchema = z.looseObject({ results: z.array(subscriptionSchema) })
const settingsSchema = z.looseObject({ targetUrl: z.string() })

const keyOf = (s: { eventType: string; propertyName?: string | null }) => `${s.eventType}:${s.propertyName ?? ''}`

function clientFor(app: AppCredentials): Client {
  return new Client({ developerApiKey: app.developerApiKey, basePath: app.basePath.replace(/\/+$/, '') })
}

export interface RegisterResult {
  targetUrl: string
  created: number
  activated: number
  total: number
}

/** Points the app at `targetUrl` and makes sure every wanted subscription exists and is active. Idempotent. */
export async function registerSubscriptions(app: AppCredentials, targetUrl: string): Promise<RegisterResult> {
  const client = clientFor(app)
  // PUT /webhooks/v3/{appId}/settings — HubSpot caches settings for up to 5 minutes.
  const settings = settingsSchema.parse(await client.webhooks.settingsApi.configure(app.appId, {
    targetUrl, throttling: { maxConcurrentRequests: 10 },
  }))
  // GET /webhooks/v3/{appId}/subscriptions
  const existing = listSchema.parse(await client.webhooks.subscriptionsApi.getAll(app.appId)).results
  const byKey = new Map(existing.map((s) => [keyOf(s), s]))
  let created = 0
  const toActivate: number[] = []
  for (const want of wantedSubscriptions()) {
    const have = byKey.get(keyOf(want))
    if (have) {
      if (!have.active) toActivate.push(have.id)
      continue
    }
    // POST /webhooks/v3/{appId}/subscriptions — created paused unless `active` is given.
    subscriptionSchema.parse(await client.webhooks.subscriptionsApi.create(app.appId, { ...want, eventType: want.eventType as never, active: true }))
    created++
  }
  if (toActivate.length) await setActive(client, app.appId, toActivate, true)
  return { targetUrl: settings.targetUrl, created, activated: toActivate.length, total: existing.length + created }
}

/** Pauses Syncline's subscriptions (the app keeps them, ready to re-activate). */
export async function pauseSubscriptions(app: AppCredentials): Promise<number> {
  const client = clientFor(app)
  const wanted = new Set(wantedSubscriptions().map(keyOf))
  const existing = listSchema.parse(await client.webhooks.subscriptionsApi.getAll(app.appId)).results
  const ids = existing.filter((s) => s.active && wanted.has(keyOf(s))).map((s) => s.id)
  if (ids.length) await setActive(client, app.appId, ids, false)
  return ids.length
}

// POST /webhooks/v3/{appId}/subscriptions/batch/update
async function setActive(client: Client, appId: number, ids: number[], active: boolean): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    await client.webhooks.subscriptionsApi.updateBatch(appId, { inputs: ids.slice(i, i + 100).map((id) => ({ id, active })) })
  }
}
