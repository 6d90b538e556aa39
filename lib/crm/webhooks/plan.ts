import type { StoredWebhookEvent } from '../../store/webhook-events'
import type { ObjectType } from '../types'
import { associationEnds, classify } from './hubspot/events'

// Events → the objects to re-read. Pure, so coalescing and ordering are tested by table.
// Payloads are never trusted for content: HubSpot delivers at least once and out of order,
// so each touched object's current state is read back (batch read) and applied like a pull.

export interface ObjectWork {
  type: ObjectType
  remoteId: string
  /** Events marked processed when this object's page commits. */
  eventIds: number[]
  created: boolean
  /** A deletion event: if the read no longer returns the object, it is archived locally. */
  deleted: boolean
  lastOccurredAt: number
}

export interface WebhookWork {
  /** Per type, in the order the pull applies types (companies before the contacts and deals that reference them). */
  objects: Map<ObjectType, ObjectWork[]>
  /** Events that need nothing (types we don't sync, kinds we don't act on). */
  ignoredEventIds: number[]
}

export const TYPE_ORDER: ObjectType[] = ['company', 'contact', 'deal']

const num = (v: unknown): string | null => (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? String(v) : null)

/** The objects an event touches; the first one owns the event. */
function targetsOf(e: StoredWebhookEvent): Array<{ type: ObjectType; id: string }> {
  const { objectType, kind } = classify(e.subscriptionType)
  const p = e.payload
  const objectId = num(p.objectId)
  if (!objectType || !objectId) return []
  switch (kind) {
    case 'creation': case 'propertyChange': case 'deletion': case 'privacyDeletion': case 'restore':
      return [{ type: objectType, id: objectId }]
    case 'merge': {
      // The survivor carries hs_merged_object_ids, which the page pipeline uses to repoint
      // or archive the local records of the merged-away ids: reading it is enough.
      const primary = num(p.primaryObjectId) ?? objectId
      const fresh = num(p.newObjectId)
      return [{ type: objectType, id: primary }, ...(fresh && fresh !== primary ? [{ type: objectType, id: fresh }] : [])]
    }
    case 'associationChange': {
      const ends = associationEnds(typeof p.associationType === 'string' ? p.associationType : undefined)
      const from = num(p.fromObjectId)
      const to = num(p.toObjectId)
      if (!ends || !from || !to) return [{ type: objectType, id: objectId }]
      return [{ type: ends[0], id: from }, { type: ends[1], id: to }]
    }
    default:
      return []
  }
}

export function planWebhookWork(events: StoredWebhookEvent[], syncs: (type: ObjectType) => boolean): WebhookWork {
  const byKey = new Map<string, ObjectWork>()
  const ignoredEventIds: number[] = []
  for (const e of events) {
    const targets = targetsOf(e).filter((t) => syncs(t.type))
    if (targets.length === 0) {
      ignoredEventIds.push(e.id)
      continue
    }
    const { kind } = classify(e.subscriptionType)
    const at = e.occurredAt.getTime()
    targets.forEach((t, i) => {
      const key = `${t.type}:${t.id}`
      let w = byKey.get(key)
      if (!w) byKey.set(key, (w = { type: t.type, remoteId: t.id, eventIds: [], created: false, deleted: false, lastOccurredAt: at }))
      if (i === 0) {
        w.eventIds.push(e.id)
        if (kind === 'creation') w.created = true
        if (kind === 'deletion' || kind === 'privacyDeletion') w.deleted = true
      }
      w.lastOccurredAt = Math.max(w.lastOccurredAt, at)
    })
  }
  const objects = new Map<ObjectType, ObjectWork[]>()
  for (const type of TYPE_ORDER) {
    // Creations first, then by time, as HubSpot's own guidance orders by occurredAt.
    const list = [...byKey.values()].filter((w) => w.type === type)
      .sort((a, b) => Number(b.created) - Number(a.created) || a.lastOccurredAt - b.lastOccurredAt)
    if (list.length) objects.set(type, list)
  }
  return { objects, ignoredEventIds }
}
