import type { ChangeEvent } from '../events.js'
import { singular } from '../object-types.js'
import { ASSOCIATION_TYPES } from '../associations.js'

/** One webhook event minus `attemptNumber` (set per delivery attempt). */
export type EventPayload = Record<string, unknown> & { eventId: number; subscriptionId: number }

/** The subscription type a change matches, plus the property for propertyChange. */
export function subscriptionTypeOf(e: ChangeEvent): { subscriptionType: string; propertyName?: string } {
  const base = singular(e.type)
  return { subscriptionType: `${base}.${e.kind}`, propertyName: e.kind === 'propertyChange' ? e.name : undefined }
}

// https://developers.hubspot.com/docs/api/webhooks#webhook-payloads — field names per the docs
// and HubSpot's signature example (which uses `subscriptionType`).
const CHANGE_FLAGS: Partial<Record<ChangeEvent['kind'], string>> = { creation: 'NEW', deletion: 'DELETED', restore: 'RESTORED', merge: 'MERGED', privacyDeletion: 'DELETED' }

export function buildPayload(e: ChangeEvent, ids: { eventId: number; subscriptionId: number; portalId: number; appId: number }): EventPayload {
  const objectId = Number(e.kind === 'merge' ? e.primaryObjectId : e.id)
  const p: EventPayload = {
    eventId: ids.eventId, subscriptionId: ids.subscriptionId, portalId: ids.portalId, appId: ids.appId,
    occurredAt: e.occurredAt, subscriptionType: subscriptionTypeOf(e).subscriptionType, objectId,
    changeSource: e.source.changeSource, ...(e.source.sourceId ? { sourceId: e.source.sourceId } : {}),
  }
  if (CHANGE_FLAGS[e.kind]) p.changeFlag = CHANGE_FLAGS[e.kind]
  if (e.kind === 'propertyChange') {
    p.propertyName = e.name
    p.propertyValue = e.value
  }
  if (e.kind === 'merge') {
    p.primaryObjectId = Number(e.primaryObjectId)
    p.mergedObjectIds = e.mergedObjectIds.map(Number)
    p.newObjectId = Number(e.newObjectId)
    p.numberOfPropertiesMoved = e.numberOfPropertiesMoved
  }
  if (e.kind === 'associationChange') {
    // e.g. CONTACT_TO_COMPANY; labelled (non-default) types keep the same naming.
    const name = ASSOCIATION_TYPES[e.typeId]?.v3Name.replace(/_unlabeled$/, '') ?? `${singular(e.type)}_to_${singular(e.toType)}`
    p.associationType = name.toUpperCase()
    p.fromObjectId = Number(e.id)
    p.toObjectId = Number(e.toId)
    p.associationRemoved = e.removed
    p.isPrimaryAssociation = e.primary
  }
  return p
}
