import { HttpError, readBytes } from '../../../http'
import type { Sql } from '../../../store/db'
import { encodeDeliveryBody, findWebhookTargets, type WebhookTarget } from '../../../store/webhook-events'
import { writeDelivery } from './delivery-writer'
import { parseBatch, storableJson, type RawHubSpotEvent } from './events'
import { publicUri, verifyHubSpotSignature } from './verify'

// POST /api/webhooks/hubspot, minus Next: verify, validate, store the delivery (one row: the
// verified body itself, deflated; keys and columns are derived when it is expanded), answer. Processing is
// handed to `schedule` (Next's `after()` in the route) so the 200 goes out in
// milliseconds — HubSpot retries any target slower than 5 seconds.
// https://developers.hubspot.com/docs/api/webhooks

/** 100 events of a few hundred bytes each; anything far larger is not HubSpot. */
const MAX_BODY_BYTES = 256 * 1024

export interface ReceiveOptions {
  sql: () => Promise<Sql>
  clientSecret: string | undefined
  allowV1: boolean
  /** The public origin HubSpot calls (APP_URL, or explicit), see `publicUri`. */
  publicBaseUrl: string
  /** Runs the connection's processing after the answer. */
  schedule: (connectionId: string) => void
  now?: () => number
  log?: (message: string, data?: Record<string, unknown>) => void
}

export type ReceiveOutcome =
  | { status: 200; received: number; connections: string[]; ignored?: 'unknown-portal' | 'disabled' }
  | { status: 400 | 401; error: string }

// portal → connections, kept briefly: under a burst (HubSpot sends up to 10 requests at
// once, continuously) this saves a query per request. Only an answer with a live target
// is trusted from the cache: "nobody listens" is asked again each time, so a portal just
// connected, or one whose real-time updates were just turned on (in another function
// instance, whose cache this one cannot clear), has its next delivery stored, not
// answered 200 and dropped. A connection disabled, disconnected, or added beside a live
// one is seen within TARGETS_TTL_MS; nothing else depends on this cache.
const TARGETS_TTL_MS = 5_000
const targetsCache = new Map<string, { at: number; targets: Promise<WebhookTarget[]> }>()

async function cachedTargets(sql: Sql, portalId: string, now: number): Promise<WebhookTarget[]> {
  const hit = targetsCache.get(portalId)
  if (hit && now - hit.at < TARGETS_TTL_MS) {
    const targets = await hit.targets
    if (targets.some((t) => !t.disabled)) return targets
  }
  const targets = findWebhookTargets(sql, 'hubspot', portalId)
  targetsCache.set(portalId, { at: now, targets })
  targets.catch(() => targetsCache.delete(portalId))
  if (targetsCache.size > 10_000) targetsCache.clear()
  return targets
}

/** For tests that change a connection's webhook state and deliver at once. */
export function forgetWebhookTargets(): void {
  targetsCache.clear()
}

const defaultLog = (message: string, data?: Record<string, unknown>) => console.warn(`[syncline] ${message}`, data ?? '')

export async function receiveHubSpotWebhook(req: Request, opts: ReceiveOptions): Promise<ReceiveOutcome> {
  const log = opts.log ?? defaultLog
  // The bytes are what HubSpot signed and what is stored; the text is what is validated.
  const rawBytes = await readBytes(req, MAX_BODY_BYTES)
  // No secret configured: nothing can be verified, so nothing is accepted.
  if (!opts.clientSecret) throw new HttpError(503, 'webhooks_unconfigured', 'HUBSPOT_CLIENT_SECRET is not set')
  const verified = verifyHubSpotSignature(
    { method: req.method, uri: publicUri(req.url, opts.publicBaseUrl), rawBody: rawBytes, headers: req.headers },
    { clientSecret: opts.clientSecret, allowV1: opts.allowV1, now: opts.now },
  )
  if (!verified.ok) {
    log('webhook rejected', { error: verified.error })
    return { status: 401, error: verified.error }
  }
  const rawBody = rawBytes.toString('utf8')
  const batch = parseBatch(rawBody)
  if (!batch.ok) return { status: 400, error: batch.error }

  const sql = await opts.sql()
  const outcome = { status: 200 as const, received: 0, connections: [] as string[] }
  let ignored: 'unknown-portal' | 'disabled' | undefined
  for (const [portalId, events] of byPortal(batch.events, batch.portals)) {
    const targets = await cachedTargets(sql, portalId, Date.now())
    const live = targets.filter((t) => !t.disabled)
    if (live.length === 0) {
      ignored = targets.length ? 'disabled' : 'unknown-portal'
      log(`webhook events ignored: ${ignored}`, { portalId, events: events.length })
      continue
    }
    // One portal per delivery is the rule; a mixed batch stores each portal's share.
    const json = storableJson(events, events.length === batch.events.length ? rawBody : null)
    const body = encodeDeliveryBody(json === rawBody ? rawBytes : json)
    await Promise.all(live.map((target) => writeDelivery(sql, { target, body, eventCount: events.length })))
    outcome.received += events.length
    outcome.connections.push(...live.map((t) => t.connectionId))
  }
  for (const id of outcome.connections) opts.schedule(id)
  return ignored && outcome.connections.length === 0 ? { ...outcome, ignored } : outcome
}

function byPortal(events: RawHubSpotEvent[], portals: string[]): Map<string, RawHubSpotEvent[]> {
  if (portals.every((p) => p === portals[0])) return new Map([[portals[0], events]])
  const groups = new Map<string, RawHubSpotEvent[]>()
  events.forEach((e, i) => {
    const group = groups.get(portals[i])
    if (group) group.push(e)
    else groups.set(portals[i], [e])
  })
  return groups
}

/** The answer HubSpot gets: small, and never the reason a signature failed beyond its code. */
export function toWebhookResponse(o: ReceiveOutcome): Response {
  if (o.status === 200) return Response.json({ ok: true, received: o.received, ...(o.ignored ? { ignored: o.ignored } : {}) })
  return Response.json({ error: { code: o.status === 401 ? 'invalid_signature' : 'invalid_payload', message: o.error } }, { status: o.status })
}
