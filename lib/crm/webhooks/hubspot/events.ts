import { z } from 'zod'
import type { NewWebhookEvent } from '../../../store/webhook-events'
import type { ObjectType } from '../../types'

// The body HubSpot POSTs: a JSON array of at most 100 events.
// https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
export const MAX_EVENTS_PER_REQUEST = 100

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)])

export const hubspotEventSchema = z.looseObject({
  eventId: id,
  subscriptionId: id.optional(),
  portalId: id,
  appId: id.optional(),
  occurredAt: z.number().int().nonnegative(), // milliseconds
  // The doc's own example says `eventType`; the signature example and deliveries say
  // `subscriptionType`. Either is accepted, `subscriptionType` wins.
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/).optional(),
  eventType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/).optional(),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id,
  changeSource: z.string().optional(),
  changeFlag: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.unknown().optional(),
  // merge
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).optional(),
  newObjectId: id.optional(),
  // associationChange
  associationType: z.string().optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
}).refine((e) => e.subscriptionType ?? e.eventType, 'subscriptionType is required')
  .transform(({ eventType, ...e }) => ({ ...e, subscriptionType: (e.subscriptionType ?? eventType)! }))

export type HubSpotEvent = z.output<typeof hubspotEventSchema>

export const hubspotBatchSchema = z.array(hubspotEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST)

/**
 * A validated event as HubSpot sent it (ids may be digit strings, the type may be in
 * `eventType`): what the ack path stores. The schema's output is built only when the
 * processor expands the delivery (`toInboxEvents`).
 */
export type RawHubSpotEvent = Record<string, unknown>

export type ParsedBatch =
  | { ok: true; events: RawHubSpotEvent[]; /** `String(portalId)` per event, as the schema's output prints it. */ portals: string[] }
  | { ok: false; error: string }

/**
 * `hubspotBatchSchema`'s verdict without building its output: the ack path runs this on
 * every delivery (100 events), where the schema's parse was the handler's largest cost.
 * It accepts exactly what the schema accepts (tests/webhooks/events.test.ts compares them);
 * on a rejection the schema is run for its message.
 */
export function parseBatch(rawBody: string): ParsedBatch {
  let value: unknown
  try {
    value = JSON.parse(rawBody)
  } catch {
    return { ok: false, error: 'body is not JSON' }
  }
  const portals = checkBatch(value)
  if (portals === TOO_DEEP) return { ok: false, error: `body: nested deeper than ${MAX_NESTING} levels` }
  if (portals) return { ok: true, events: value as RawHubSpotEvent[], portals }
  const parsed = hubspotBatchSchema.safeParse(value)
  if (!parsed.success) return { ok: false, error: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }
  return { ok: false, error: 'body: invalid event' } // unreachable while the two agree; refusing is the safe side
}

// HubSpot's events are flat; JSON.parse takes any depth, but Postgres's jsonb parser stops
// at a few thousand levels, and a delivery it cannot store must not be acknowledged.
const MAX_NESTING = 32
const TOO_DEEP = 'too deep'

/** Whether a value at `depth` (the body's array is 1, an event 2) holds containers deeper than MAX_NESTING. */
function tooDeep(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false
  if (depth > MAX_NESTING) return true
  for (const key in value) if (tooDeep((value as Record<string, unknown>)[key], depth + 1)) return true
  return false
}

const DIGITS = /^\d+$/
const TYPE = /^[a-z_]+\.[A-Za-z]+$/
const isId = (v: unknown) => (typeof v === 'number' ? Number.isSafeInteger(v) && v >= 0 : typeof v === 'string' && DIGITS.test(v))
const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const isType = (v: unknown) => typeof v === 'string' && TYPE.test(v)
const isIds = (v: unknown) => Array.isArray(v) && v.every(isId)

const REQUIRED_ID = 1
const REQUIRED_PORTAL = 2
const REQUIRED_OCCURRED_AT = 4
const REQUIRED_OBJECT = 8
const REQUIRED_TYPE = 16
const ALL_REQUIRED = 31

/**
 * One event against the schema, reading each of its keys once (a lookup per schema field,
 * most of them absent, was most of this check's cost): the fields it has, or null if invalid.
 */
function checkEvent(o: Record<string, unknown>): number | null | typeof TOO_DEEP {
  let seen = 0
  for (const key in o) {
    const v = o[key]
    switch (key) {
      case 'eventId': if (!isId(v)) return null; seen |= REQUIRED_ID; break
      case 'portalId': if (!isId(v)) return null; seen |= REQUIRED_PORTAL; break
      case 'occurredAt': if (!isCount(v)) return null; seen |= REQUIRED_OCCURRED_AT; break
      case 'objectId': if (!isId(v)) return null; seen |= REQUIRED_OBJECT; break
      case 'subscriptionType': case 'eventType': if (!isType(v)) return null; seen |= REQUIRED_TYPE; break
      case 'subscriptionId': case 'appId': case 'primaryObjectId': case 'newObjectId': case 'fromObjectId': case 'toObjectId':
        if (!isId(v)) return null
        break
      case 'attemptNumber': if (!isCount(v)) return null; break
      case 'changeSource': case 'changeFlag': case 'propertyName': case 'associationType':
        if (typeof v !== 'string') return null
        break
      case 'mergedObjectIds': if (!isIds(v)) return null; break
      case 'associationRemoved': case 'isPrimaryAssociation': if (typeof v !== 'boolean') return null; break
      default: if (tooDeep(v, 3)) return TOO_DEEP // propertyValue, and keys HubSpot may add
    }
  }
  return seen
}

/** The events' portal ids (normalized like the schema's transform), null if the batch is invalid, or TOO_DEEP. */
function checkBatch(value: unknown): string[] | null | typeof TOO_DEEP {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_EVENTS_PER_REQUEST) return null
  const portals: string[] = []
  for (const e of value) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return null
    const o = e as RawHubSpotEvent
    const seen = checkEvent(o)
    if (seen === TOO_DEEP) return TOO_DEEP
    if (seen !== ALL_REQUIRED) return null
    portals.push(typeof o.portalId === 'number' ? String(o.portalId) : String(Number(o.portalId)))
  }
  return portals
}

/**
 * A redelivery's key equals the first delivery's; `eventId` alone is "not guaranteed to
 * be unique", so it is combined with what makes the event what it is (attemptNumber is not).
 */
export function eventKey(e: HubSpotEvent): string {
  const parts = [e.subscriptionType, e.objectId, e.eventId, e.occurredAt, e.propertyName ?? '']
  if (e.associationType) parts.push(e.associationType, e.fromObjectId ?? '', e.toObjectId ?? '', e.associationRemoved ? 'removed' : 'added')
  return parts.join(':')
}

/** A stored delivery's events (validated when they were received) → inbox rows. */
export function toInboxEvents(events: unknown[]): NewWebhookEvent[] {
  return events.map((raw) => {
    const e = hubspotEventSchema.parse(raw)
    return {
      eventKey: eventKey(e), subscriptionType: e.subscriptionType, objectType: classify(e.subscriptionType).objectType,
      objectId: String(e.objectId), occurredAt: e.occurredAt, payload: e,
    }
  })
}

const OBJECT_OF: Record<string, ObjectType> = { contact: 'contact', company: 'company', deal: 'deal' }

export type EventKind = 'creation' | 'deletion' | 'propertyChange' | 'merge' | 'restore' | 'associationChange' | 'privacyDeletion' | 'other'
const KINDS = new Set<string>(['creation', 'deletion', 'propertyChange', 'merge', 'restore', 'associationChange', 'privacyDeletion'])

/** `contact.propertyChange` → { objectType: 'contact', kind: 'propertyChange' }; types we don't sync → null objectType. */
export function classify(subscriptionType: string): { objectType: ObjectType | null; kind: EventKind } {
  const [object, kind] = subscriptionType.split('.')
  return { objectType: OBJECT_OF[object] ?? null, kind: KINDS.has(kind) ? (kind as EventKind) : 'other' }
}

/** `CONTACT_TO_COMPANY` → the two ends' types (null when either is not synced). */
export function associationEnds(associationType: string | undefined): [ObjectType, ObjectType] | null {
  const m = /^([A-Z]+)_TO_([A-Z]+)/.exec(associationType ?? '')
  if (!m) return null
  const from = OBJECT_OF[m[1].toLowerCase()]
  const to = OBJECT_OF[m[2].toLowerCase()]
  return from && to ? [from, to] : null
}

// Postgres refuses `\u0000` and unpaired surrogates in jsonb, which JSON.parse accepts: a
// body carrying one would be acknowledged and then fail to expand, forever. Only bodies
// with such an escape are re-serialized, with U+FFFD in place of what cannot be stored.
const SUSPECT_ESCAPE = /\\u(0000|d[89a-f])/i
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g')

/** The text to store for these validated events: `rawBody` itself when it is their JSON (null when they are part of it). */
export function storableJson(events: RawHubSpotEvent[], rawBody: string | null): string {
  if (rawBody !== null && !SUSPECT_ESCAPE.test(rawBody)) return rawBody
  return JSON.stringify(events, (_key, v: unknown) => {
    if (typeof v === 'string') return storableString(v)
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
    const keys = Object.keys(v)
    if (!keys.some((k) => UNSTORABLE.test(k))) return v
    return Object.fromEntries(keys.map((k) => [storableString(k), (v as Record<string, unknown>)[k]]))
  })
}

const storableString = (s: string) => (UNSTORABLE.test(s) ? s.replace(UNSTORABLE_ALL, '\ufffd') : s)
