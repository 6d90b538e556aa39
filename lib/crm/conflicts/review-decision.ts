// Applying a person's decision on a conflict left for manual review. The CRM's snapshot is
// the one stored with the conflict (sync_conflicts.remote_snapshot), the app's is the row as
// it is now (app-side.ts); the caller checks that neither is other than what the choice was
// made on, and normalizes custom values.
import type { Fields } from '../types'

export interface StoredConflict {
  fields: readonly string[]
  localSnapshot: Fields
  remoteSnapshot: Fields
}

/** Keep the app's value, the CRM's, or type a new one for both. */
export type ReviewChoice = 'local' | 'remote' | { value: string | null }

export interface ReviewOutcome {
  toLocal: Fields
  toRemote: Fields
  /** Conflicting fields with no choice yet: the conflict stays open for them. */
  undecided: string[]
}

/** Choices for fields that are not part of the conflict are ignored: they are not the person's to decide here. */
export function applyReviewDecision(conflict: StoredConflict, choices: Readonly<Record<string, ReviewChoice>>): ReviewOutcome {
  const outcome: ReviewOutcome = { toLocal: {}, toRemote: {}, undecided: [] }
  for (const field of conflict.fields) {
    const choice = choices[field]
    if (choice === undefined) {
      outcome.undecided.push(field)
      continue
    }
    const local = conflict.localSnapshot[field] ?? null
    const remote = conflict.remoteSnapshot[field] ?? null
    const value = choice === 'local' ? local : choice === 'remote' ? remote : choice.value
    if (value !== local) outcome.toLocal[field] = value
    if (value !== remote) outcome.toRemote[field] = value
  }
  return outcome
}
