import { modifiedProp, type ObjectType } from './object-types.js'

/**
 * One immutable version of a CRM record. Every write makes a new version, so the search
 * index can keep pointing at an older one until the indexing lag has passed.
 * Stored properties exclude the computed ones (id, createdate, last-modified), which are
 * derived from the fields below so they always agree with createdAt/updatedAt.
 */
export interface Rec {
  readonly id: string
  readonly type: ObjectType
  readonly props: Readonly<Record<string, string>>
  readonly createdAt: number
  readonly updatedAt: number
  readonly archived: boolean
  readonly archivedAt?: number
  /** Set when merged away: reads of this id resolve to the surviving record. */
  readonly mergedInto?: string
}

export const iso = (ms: number): string => new Date(ms).toISOString()

/** A property's value as HubSpot returns it (null when unset). */
export function getValue(rec: Rec, name: string): string | null {
  switch (name) {
    case 'hs_object_id':
      return rec.id
    case 'createdate':
      return rec.props.createdate ?? iso(rec.createdAt)
    case 'lastmodifieddate':
      return rec.type === 'contacts' ? iso(rec.updatedAt) : (rec.props[name] ?? null)
    case 'hs_lastmodifieddate':
      return rec.type !== 'contacts' ? iso(rec.updatedAt) : (rec.props[name] ?? null)
    default:
      return rec.props[name] ?? null
  }
}

/** Fast path for search on the timestamps the sync engine filters and sorts by. */
export function getTimeValue(rec: Rec, name: string): number | undefined {
  if (name === modifiedProp(rec.type)) return rec.updatedAt
  if (name === 'createdate' && rec.props.createdate === undefined) return rec.createdAt
  return undefined
}

/** Applies a write: "" clears a property, anything else sets it. */
export function applyProps(current: Readonly<Record<string, string>>, changes: Record<string, string>): Record<string, string> {
  const next: Record<string, string> = { ...current }
  for (const [k, v] of Object.entries(changes)) {
    if (v === '') delete next[k]
    else next[k] = v
  }
  return next
}
