import type { RemoteRecord } from '../types'

// HubSpot answers a read of a merged-away id with the record it was merged into, and applies
// a write to it there too: archiving a merged-away id archives the survivor.
// https://developers.hubspot.com/docs/api/crm/contacts#merge
// Until a pull follows the merge (its search can lag behind it), a local record can still be
// linked to such an id; the push reads the ids it is about to archive and leaves these alone.

/** Of the `requested` ids, those the read answered with another record: id → the survivor's id. */
export function mergedAwayOf(requested: readonly string[], read: readonly RemoteRecord[]): Map<string, string> {
  const asked = new Set(requested)
  const out = new Map<string, string>()
  for (const r of read) {
    if (asked.has(r.remoteId)) continue
    for (const gone of r.mergedRemoteIds ?? []) if (asked.has(gone)) out.set(gone, r.remoteId)
  }
  return out
}
