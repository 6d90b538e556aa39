import { hashFieldValue } from './hash'

// How a link remembers a reference to another CRM record: a record's company ('@company')
// and its owner (the 'ownerRemoteId' field). Pure: the pull planner, the push and the
// conflict review share it.
//
// Other fields are remembered by a hash of their value. A reference keeps the CRM's id
// itself ("#4711"): a record read before the record it points at was in the app (a company
// or an owner created after the run's phase for that type, or a webhook ahead of it) is
// linked once that record arrives, found by this entry (see linkArrived in
// lib/store/records.ts). Links written before kept a hash; both forms compare
// equal, so those links keep working and move to the id the next time they are written.

const ID_PREFIX = '#'
// What a field-hash entry may hold (no ',' or ':'), and what the store's lookups match.
const SAFE_ID = /^[A-Za-z0-9_-]+$/

/** Canonical fields that hold another record's CRM id. */
const REFERENCE_FIELDS: ReadonlySet<string> = new Set(['ownerRemoteId'])

/** The entry for a referenced id: the id itself, "empty" for none, a hash for an id that cannot be stored as is. */
export function referenceEntry(remoteId: string | null | undefined): string {
  if (!remoteId) return hashFieldValue(null)
  return SAFE_ID.test(remoteId) ? ID_PREFIX + remoteId : hashFieldValue(remoteId)
}

/** The id a stored entry remembers, when it holds one (an older link's hash does not). */
export function referencedId(entry: string | undefined): string | null {
  return entry?.startsWith(ID_PREFIX) ? entry.slice(ID_PREFIX.length) : null
}

/** Whether a stored entry remembers this referenced id, in either form. */
export function sameReference(entry: string | undefined, remoteId: string | null | undefined): boolean {
  if (entry === undefined) return false
  return entry === referenceEntry(remoteId) || entry === hashFieldValue(remoteId ?? null)
}

/** The entry a link keeps for a canonical field's value. */
export function fieldEntry(field: string, value: string | null | undefined): string {
  return REFERENCE_FIELDS.has(field) ? referenceEntry(value) : hashFieldValue(value)
}

/** Whether a link's stored entry for `field` remembers `value`. */
export function sameFieldEntry(field: string, entry: string | undefined, value: string | null | undefined): boolean {
  return REFERENCE_FIELDS.has(field) ? sameReference(entry, value) : entry === hashFieldValue(value)
}
