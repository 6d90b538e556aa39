import { z } from 'zod'
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

export type ParsedBatch = { ok: true; events: HubSpotEvent[] } | { ok: false; error: string }

export function parseBatch(rawBody: string): ParsedBatch {
  let value: unknown
  try {
    value = JSON.parse(rawBody)
  } catch {
    return { ok: false, error: 'body is not JSON' }
  }
  const parsed = hubspotBatchSchema.safeParse(value)
  if (!parsed.success) return { ok: false, error: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }
  return { ok: true, events: parsed.data }
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
