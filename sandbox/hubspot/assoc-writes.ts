import { ASSOCIATION_TYPES, defaultTypeId, isOwnPrimary, type AssocSpec } from './associations.js'
import type { WriteSource } from './events.js'
import type { ObjectType } from './object-types.js'
import type { Sandbox } from './state.js'

/**
 * Associates two records and fires `associationChange` for each new type (both directions).
 * A record has one primary company, as in HubSpot: a new Primary association takes the label
 * from the record's previous primary company, which stays associated, unlabelled. A labelled
 * association carries the unlabelled type too (as the seeded records do). HubSpot's UI and
 * knowledge base describe primary companies this way; the API's exact events are
 * UNVERIFIED, and this is what the official SDK's callers observe on reading back.
 * https://developers.hubspot.com/docs/api/crm/associations#association-type-id-values
 */
export function associate(sb: Sandbox, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, specs: AssocSpec[], source: WriteSource): void {
  // Written from the company's side (company_to_contact Primary): the one primary is the
  // contact's (or deal's), so the rule runs from its side; a company is many records' primary.
  if (specs.some((s) => ASSOCIATION_TYPES[s.typeId]?.label === 'Primary' && !isOwnPrimary(s.typeId))) {
    const reversed = specs.map((s) => ({ category: s.category, typeId: ASSOCIATION_TYPES[s.typeId]?.reverse ?? s.typeId }))
    return associate(sb, toType, toId, fromType, fromId, reversed, source)
  }
  const primary = specs.filter((s) => ASSOCIATION_TYPES[s.typeId]?.label === 'Primary')
  if (primary.length) {
    const unlabeled = defaultTypeId(fromType, toType)
    if (unlabeled !== undefined && !specs.some((s) => s.typeId === unlabeled)) specs = [...specs, { category: 'HUBSPOT_DEFINED', typeId: unlabeled }]
    for (const other of sb.associations.list(fromType, fromId, toType)) {
      if (other.toId === toId) continue
      const demoted = primary.filter((p) => other.specs.some((s) => s.typeId === p.typeId)).map((p) => p.typeId)
      if (demoted.length === 0) continue
      if (unlabeled !== undefined) associate(sb, fromType, fromId, toType, other.toId, [{ category: 'HUBSPOT_DEFINED', typeId: unlabeled }], source)
      dissociate(sb, fromType, fromId, toType, other.toId, source, demoted)
    }
  }
  const before = new Set(sb.associations.list(fromType, fromId, toType).find((x) => x.toId === toId)?.specs.map((s) => s.typeId) ?? [])
  sb.associations.add(fromType, fromId, toType, toId, specs)
  const occurredAt = sb.clock.now()
  for (const s of specs) {
    if (before.has(s.typeId)) continue
    emitBoth(sb, fromType, fromId, toType, toId, s.typeId, false, occurredAt, source)
  }
}

/** Removes associations (all types, or only `typeIds`) and fires `associationChange` with associationRemoved. */
export function dissociate(sb: Sandbox, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, source: WriteSource, typeIds?: number[]): void {
  const existing = sb.associations.list(fromType, fromId, toType).find((x) => x.toId === toId)?.specs ?? []
  const removed = existing.filter((s) => !typeIds || typeIds.includes(s.typeId))
  if (typeIds) sb.associations.removeTypes(fromType, fromId, toType, toId, typeIds)
  else sb.associations.removeAll(fromType, fromId, toType, toId)
  const occurredAt = sb.clock.now()
  for (const s of removed) emitBoth(sb, fromType, fromId, toType, toId, s.typeId, true, occurredAt, source)
}

function emitBoth(sb: Sandbox, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number, removed: boolean, occurredAt: number, source: WriteSource): void {
  const info = ASSOCIATION_TYPES[typeId]
  const primary = info?.label === 'Primary'
  sb.emit({ kind: 'associationChange', type: fromType, id: fromId, toType, toId, typeId, removed, primary, occurredAt, source })
  const rev = info?.reverse ?? typeId
  sb.emit({ kind: 'associationChange', type: toType, id: toId, toType: fromType, toId: fromId, typeId: rev, removed, primary, occurredAt, source })
}
