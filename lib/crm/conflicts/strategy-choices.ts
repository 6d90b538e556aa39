// A strategy deciding a conflict that was left for a person: when the connection leaves
// manual review and its owner asks for the waiting conflicts to be settled too. The choices
// are then applied exactly as a person's (review.ts), so only the deciding differs.
import type { Fields, ObjectType } from '../types'
import type { ConflictConfig } from './config'
import { resolveChanges } from './resolve'
import type { ReviewChoice, StoredConflict } from './review-decision'
import { sameValue, type FieldState } from './types'

/** When each side last changed the record, as far as is known now. */
export interface ConflictTimes {
  local: Date | null
  remote: Date | null
}

/**
 * Each conflicting field's choice under `config`, as the pull would have settled it had
 * this been the strategy when the conflict opened; undefined when some field would still
 * go to a person (manual review for that field or object), so the conflict stays open.
 */
export function choicesByStrategy(objectType: ObjectType, conflict: StoredConflict, config: ConflictConfig, at: ConflictTimes): Record<string, ReviewChoice> | undefined {
  const fields: Record<string, FieldState> = {}
  for (const f of conflict.fields) {
    fields[f] = {
      local: conflict.localSnapshot[f] ?? null, remote: conflict.remoteSnapshot[f] ?? null,
      localChanged: true, remoteChanged: true, localAt: at.local, remoteAt: at.remote,
    }
  }
  const resolution = resolveChanges({ objectType, fields, localUpdatedAt: at.local, remoteUpdatedAt: at.remote }, config)
  const choices: Record<string, ReviewChoice> = {}
  for (const f of conflict.fields) {
    const { winner } = resolution.decisions[f]
    if (winner === 'local' || winner === 'remote') choices[f] = winner
    else if (winner === 'merged') choices[f] = { value: f in resolution.toLocal ? resolution.toLocal[f] : fields[f].local }
    // Both sides came to hold the same value meanwhile: either choice is that value.
    else if (sameValue(fields[f].local, fields[f].remote)) choices[f] = 'local'
    else return undefined
  }
  return choices
}

/**
 * When each side made the edits in conflict, for "the newer edit wins", as the strategy
 * decides a conflict: the times the sync saw them (`stored`). A conflict opened before they
 * were kept has none, and then the tie-break settles it: the app row's updated_at is no
 * stand-in, as a pull may have moved it to its own time since. But where the app's row holds
 * another value of a conflicting field than the conflict stored, the app edited it since:
 * its updated_at is then when, as near as is known (the time the push gives such an edit on
 * taking it into the conflict, refreshConflictLocals).
 */
export function timesNow(fields: readonly string[], stored: { local: Fields; localChangedAt: Date | null; remoteChangedAt: Date | null },
  app: { fields: Fields; updatedAt: Date }): ConflictTimes {
  const appEdited = fields.some((f) => (app.fields[f] ?? null) !== (stored.local[f] ?? null))
  return { local: appEdited ? app.updatedAt : stored.localChangedAt, remote: stored.remoteChangedAt }
}
