import { HubSpotError, validation } from './errors.js'
import type { ObjectType } from './object-types.js'
import { singular } from './object-types.js'
import { normalizeProperties, type PropertyProblem } from './properties/values.js'
import { applyProps, getValue, type Rec } from './record.js'
import type { Sandbox } from './state.js'
import type { WriteSource } from './events.js'

/** Builds the 400 HubSpot sends for invalid property values (shape from the objects guide). */
export function propertyError(sb: Sandbox, problems: PropertyProblem[]): HubSpotError {
  const detail = problems.map((p) => ({
    isValid: false, message: p.message, error: p.code, name: p.name, localizedErrorMessage: p.message, portalId: sb.portalId,
  }))
  return validation(
    `Property values were not valid: ${JSON.stringify(detail)}`,
    problems.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.name] } })),
  )
}

/** Validates and normalises a write; returns the error instead of throwing (batch needs it per item). */
export function prepareWrite(
  sb: Sandbox, type: ObjectType, input: unknown, opts: { selfId?: string; create?: boolean; allowReadOnly?: boolean } = {},
): { ok: true; values: Record<string, string> } | { ok: false; error: HubSpotError } {
  const res = normalizeProperties(sb.properties, type, input, opts)
  if (!res.ok) return { ok: false, error: propertyError(sb, res.problems) }
  if (opts.create) {
    const missing = requiredMissing(type, res.values)
    if (missing.length) {
      return { ok: false, error: propertyError(sb, missing.map((name) => ({ name, code: 'REQUIRED_PROPERTY', message: `Property "${name}" is required` }))) }
    }
  }
  for (const prop of uniqueProps(sb, type)) {
    const v = res.values[prop]
    if (!v) continue
    const owner = sb.store.findUnique(type, prop, v)
    if (owner && owner !== opts.selfId) {
      const msg = prop === 'email' && type === 'contacts'
        ? `Contact already exists. Existing ID: ${owner}` // hubspot-api-nodejs#545
        : `A ${singular(type)} with ${prop} "${v}" already exists. Existing ID: ${owner}`
      return { ok: false, error: new HubSpotError(409, 'CONFLICT', msg) }
    }
  }
  return { ok: true, values: res.values }
}

// https://developers.hubspot.com/docs/guides/crm/using-object-apis — required on create.
function requiredMissing(type: ObjectType, v: Record<string, string>): string[] {
  if (type === 'deals') return ['dealname', 'dealstage', 'pipeline'].filter((p) => !v[p])
  if (type === 'companies' && !v.domain && !v.name) return ['name']
  return []
}

const uniqueProps = (sb: Sandbox, type: ObjectType): string[] =>
  type === 'contacts' ? ['email', ...sb.properties.uniqueNames(type)] : sb.properties.uniqueNames(type)

function commit(sb: Sandbox, rec: Rec): Rec {
  sb.store.put(rec)
  sb.index.schedule(rec, rec.updatedAt + sb.config.searchIndexLagMs, sb.clock.now())
  return rec
}

export function createRecord(sb: Sandbox, type: ObjectType, values: Record<string, string>, source: WriteSource): Rec {
  const now = sb.stamp.next()
  const rec = commit(sb, { id: sb.store.newId(), type, props: applyProps({}, values), createdAt: now, updatedAt: now, archived: false })
  sb.emit({ kind: 'creation', type, id: rec.id, occurredAt: now, source })
  for (const [name, value] of Object.entries(rec.props)) sb.emit({ kind: 'propertyChange', type, id: rec.id, name, value, occurredAt: now, source })
  return rec
}

/** Writes only what changed; a write that changes nothing leaves the record (and its updatedAt) alone. */
export function updateRecord(sb: Sandbox, rec: Rec, values: Record<string, string>, source: WriteSource): Rec {
  const changed = Object.entries(values).filter(([k, v]) => (rec.props[k] ?? '') !== v)
  if (changed.length === 0) return rec
  const now = sb.stamp.next()
  const next = commit(sb, { ...rec, props: applyProps(rec.props, Object.fromEntries(changed)), updatedAt: now })
  for (const [name, value] of changed) sb.emit({ kind: 'propertyChange', type: rec.type, id: rec.id, name, value, occurredAt: now, source })
  return next
}

export function archiveRecord(sb: Sandbox, rec: Rec, source: WriteSource): void {
  if (rec.archived) return
  const now = sb.stamp.next()
  commit(sb, { ...rec, archived: true, archivedAt: now, updatedAt: now })
  sb.emit({ kind: 'deletion', type: rec.type, id: rec.id, occurredAt: now, source })
}

export function restoreRecord(sb: Sandbox, rec: Rec, source: WriteSource): Rec {
  if (!rec.archived || rec.mergedInto) return rec
  if (rec.type === 'contacts' && rec.props.email) {
    const owner = sb.store.findUnique('contacts', 'email', rec.props.email)
    if (owner && owner !== rec.id) throw new HubSpotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${owner}`)
  }
  const now = sb.stamp.next()
  const { archivedAt: _gone, ...rest } = rec
  const next = commit(sb, { ...rest, archived: false, updatedAt: now })
  sb.emit({ kind: 'restore', type: rec.type, id: rec.id, occurredAt: now, source })
  return next
}

/**
 * https://developers.hubspot.com/docs/api/crm/contacts#merge — the primary keeps its id and
 * its values; empty properties are filled from the merged record, whose id then resolves to
 * the primary; associations move over.
 */
export function mergeRecords(sb: Sandbox, type: ObjectType, primaryId: string, loserId: string, source: WriteSource): Rec {
  const primary = sb.store.findBy(type, primaryId)
  const loser = sb.store.findBy(type, loserId)
  if (!primary) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Object not found. objectId: ${primaryId}`)
  if (!loser) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Object not found. objectId: ${loserId}`)
  if (primary.id === loser.id) throw validation('Cannot merge an object with itself')
  if (sb.config.mergeNewId && (type === 'contacts' || type === 'companies')) return mergeIntoNew(sb, type, primary, loser, source)
  const now = sb.stamp.next()
  const moved = movedProps(primary, loser)
  const mergedIds = [getValue(primary, 'hs_merged_object_ids'), loser.id].filter(Boolean).join(';')
  commit(sb, { ...loser, archived: true, archivedAt: now, updatedAt: now, mergedInto: primary.id })
  const winner = commit(sb, { ...primary, props: { ...primary.props, ...moved, hs_merged_object_ids: mergedIds }, updatedAt: now })
  sb.associations.moveAll(type, loser.id, primary.id)
  sb.emit({ kind: 'merge', type, primaryObjectId: primary.id, mergedObjectIds: [loser.id], newObjectId: primary.id, numberOfPropertiesMoved: Object.keys(moved).length, occurredAt: now, source })
  return winner
}

/** The merged-away record's values the primary lacks (its email never: the primary's stays). */
function movedProps(primary: Rec, loser: Rec): Record<string, string> {
  const moved: Record<string, string> = {}
  for (const [k, v] of Object.entries(loser.props)) if (!primary.props[k] && k !== 'email') moved[k] = v
  return moved
}

/**
 * https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
 * — contacts and companies: "a new record with a new ID will be created for the resulting
 * merged record, with both records merged into the new one", and "both of the previous IDs
 * will point to the resulting merged record". Values: the primary's, then what it lacks from
 * the other (as in the keep-id merge); associations: both records' move over, the primary's
 * first, so its primary company wins ("excess 'primary' associations from secondary records
 * will be dropped"). UNVERIFIED, chosen here: the new record's createdate is the primary's,
 * and its hs_merged_object_ids lists the primary's id, then the merged one's, then the ids
 * each had merged before.
 */
function mergeIntoNew(sb: Sandbox, type: ObjectType, primary: Rec, loser: Rec, source: WriteSource): Rec {
  const now = sb.stamp.next()
  const moved = movedProps(primary, loser)
  delete moved.createdate
  const before = (r: Rec) => (getValue(r, 'hs_merged_object_ids') ?? '').split(';').filter(Boolean)
  const mergedIds = [...new Set([primary.id, loser.id, ...before(primary), ...before(loser)])].join(';')
  const id = sb.store.newId()
  // Archived first, so the email (or other unique value) is free for the new record.
  for (const old of [primary, loser]) commit(sb, { ...old, archived: true, archivedAt: now, updatedAt: now, mergedInto: id })
  const merged = commit(sb, { id, type, props: { ...primary.props, ...moved, hs_merged_object_ids: mergedIds }, createdAt: primary.createdAt, updatedAt: now, archived: false })
  sb.associations.moveAll(type, primary.id, id)
  sb.associations.moveAll(type, loser.id, id)
  sb.emit({ kind: 'merge', type, primaryObjectId: primary.id, mergedObjectIds: [loser.id], newObjectId: id, numberOfPropertiesMoved: Object.keys(moved).length, occurredAt: now, source })
  return merged
}
