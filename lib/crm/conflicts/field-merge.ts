import { resolveByTimestamp } from './timestamp-based'
import { isEmptyValue, type ConflictStrategy, type FieldConflict, type FieldOutcome } from './types'

const NOTES_SEPARATOR = '\n\n'

/**
 * Combine what can be combined, by field kind. Non-empty beats empty here whatever
 * neverOverwriteWithEmpty says: that is what merging means. Kinds with no sensible
 * combination (emails, phones, names, enums, owners) fall back to the newest change.
 */
export const resolveByFieldMerge: ConflictStrategy = (conflict) => {
  const { local, remote } = conflict
  if (isEmptyValue(local)) return { winner: 'remote', reason: 'field_merge: non-empty beats empty' }
  if (isEmptyValue(remote)) return { winner: 'local', reason: 'field_merge: non-empty beats empty' }
  switch (conflict.kind) {
    case 'notes': return mergeNotes(local!, remote!)
    case 'score': return pickGreater(conflict, Number(local), Number(remote), 'the higher number')
    case 'datetime': return pickGreater(conflict, Date.parse(local!), Date.parse(remote!), 'the later date')
    default: return byTimestamp(conflict)
  }
}

// The app's text first, then the CRM's. When one already contains the other (a previous
// merge, or an edit that only appended), keeping the longer one avoids doubling text.
function mergeNotes(local: string, remote: string): FieldOutcome {
  if (local.includes(remote)) return { winner: 'local', reason: "field_merge: the app's notes already contain the CRM's" }
  if (remote.includes(local)) return { winner: 'remote', reason: "field_merge: the CRM's notes already contain the app's" }
  return { winner: 'merged', value: `${local}${NOTES_SEPARATOR}${remote}`, reason: 'field_merge: notes appended' }
}

function pickGreater(conflict: FieldConflict, local: number, remote: number, what: string): FieldOutcome {
  if (Number.isNaN(local) || Number.isNaN(remote) || local === remote) return byTimestamp(conflict)
  return { winner: local > remote ? 'local' : 'remote', reason: `field_merge: ${what}` }
}

function byTimestamp(conflict: FieldConflict): FieldOutcome {
  const outcome = resolveByTimestamp(conflict)
  return { ...outcome, reason: `field_merge (${conflict.kind}) → ${outcome.reason}` }
}
