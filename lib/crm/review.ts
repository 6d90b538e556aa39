import { env } from '../env'
import { closeConflict, dismissStaleConflicts, lockConflict, type ConflictRow, type DismissReason } from '../store/conflicts'
import { getConnection } from '../store/connections'
import { tenantFieldOptions } from '../store/field-options'
import type { Sql, Tx } from '../store/db'
import { mergeFieldHashes } from '../store/links'
import { updateLocalFields } from '../store/local-writes'
import { hasLiveOwner } from '../store/owners'
import { enqueuePush } from '../store/outbox'
import { loadLocalRecords, lockLocalRecord } from '../store/records'
import { columnOfField } from '../store/columns'
import { appSideNow, applyReviewDecision, changedSinceSeen, type ReviewChoice, type SeenValues, type Strategy } from './conflicts'
import { typedValue } from './conflicts/typed-value'
import { CrmError } from './errors'
import { fieldEntry } from './reference-entry'
import { parseSettings } from './settings'
import type { Fields } from './types'

export type Decision =
  | { status: 'resolved'; toLocal: Fields; toRemote: Fields }
  /** Nothing to apply: the record is gone on one side, and the conflict was closed. */
  | { status: 'dismissed'; reason: DismissReason; message: string }

const DISMISSED: Record<DismissReason, string> = {
  local_deleted: 'the record was deleted in the app; the conflict was dismissed',
  local_archived: 'the record was archived in the app; the conflict was dismissed',
  remote_archived: 'the record was deleted in HubSpot; the conflict was dismissed',
  merged: 'the record was merged into another in HubSpot; the conflict was dismissed',
}

/** The conflict as locked, and the app's side of it read under the record's lock. */
export interface LockedConflict {
  conflict: ConflictRow
  /** The stored local snapshot with each conflicting field as the app's row holds it now (appSideNow). */
  local: Fields
  /** The app row's updated_at, as read under the lock. */
  localUpdatedAt: Date
}

/** Choices made inside the decision, on the conflict as locked (a strategy's); undefined: some field still goes to a person. */
export type ChooseLocked = (now: LockedConflict) => Record<string, ReviewChoice> | undefined

/**
 * A person's decision on a conflict from the review queue. The app's side is written as an
 * ordinary app write (the outbox trigger captures it); fields where the app's value was
 * kept are queued for push explicitly, since the row itself does not change. Every
 * conflicting field must be decided, and no other field may be. The app's side is the app's
 * row as it is now (an app edit of a waiting field, by any path, is the app's side at once:
 * conflicts/app-side.ts), not the snapshot the last sync stored. `seen` is what the person
 * chose on: when a field's value on either side is no longer that, the choice was made on
 * other values and is refused (409), the conflict left as it is for the new values to be
 * reviewed. `choices` may instead be a function of the conflict as locked (a strategy's,
 * decide-open-conflicts.ts): it chooses on the values as they are, so no `seen` applies.
 *
 * Locks, in this order (the documented order every writer of a conflict keeps):
 * 1. The conflict's row, for the whole decision, so of two tabs deciding it at once the
 *    second is told it was already decided.
 * 2. The record's row (lockLocalRecord), before the app's side is read: an app write to the
 *    row commits before that read (and is read, so a choice on older values gets its 409) or
 *    waits until the decision commits. Read without the lock, an app edit committed between
 *    the read and updateLocalFields was written over with no 409.
 * 3. The link (mergeFieldHashes), last.
 * A sync's page (pull or webhook) takes the record's open conflicts first, before the
 * record's row and link (lockOpenConflictsOf; then the rows its merges move edits between,
 * lockMoved in pull/merges.ts, and the rows it writes, each set locked in id order before it
 * is read; then upsertLinks); the push takes
 * the conflict before the link (refreshConflictLocals, upsertLinks; its markOrigin writes a
 * row after the link only for a record it has just created in HubSpot, which has no conflict);
 * an app write (the lead form, an import, a host app's UPDATE) takes the record's row and never
 * a conflict. So nothing holds this record's row or link while waiting for the conflict a
 * decision holds, and a decision waiting for the row holds only the conflict: no deadlock. A conflict whose record is gone on either side is dismissed instead:
 * there is nothing left to apply.
 * `decidedBy` names the strategy when the choices were a strategy's, not a person's.
 */
export async function decideConflict(sql: Sql, tenantId: string, conflictId: number,
  choices: Readonly<Record<string, ReviewChoice>> | ChooseLocked,
  opts: { decidedBy?: Strategy; seen?: Readonly<Record<string, SeenValues>> } = {}): Promise<Decision> {
  const { decidedBy, seen } = opts
  return sql.begin(async (tx): Promise<Decision> => {
    const conflict = await lockConflict(tx, tenantId, conflictId)
    if (!conflict) throw new CrmError('not_found', `no conflict ${conflictId}`)
    if (conflict.status !== 'open') {
      throw new CrmError('conflict', conflict.status === 'resolved' ? 'this conflict was already decided' : 'this conflict was already dismissed: its record is gone')
    }
    // A person's choices are checked before anything else is read: a refused choice is a 400
    // whatever became of the record.
    const given = typeof choices === 'function' ? undefined : await normalizeChoices(tx, tenantId, conflict, choices)

    await lockLocalRecord(tx, tenantId, conflict.objectType, conflict.localId)
    const [stale] = await dismissStaleConflicts(tx, tenantId, conflict.id)
    if (stale) return { status: 'dismissed', reason: stale.reason, message: DISMISSED[stale.reason] }
    const current = (await loadLocalRecords(tx, tenantId, conflict.connectionId, conflict.objectType, [conflict.localId])).get(conflict.localId)
    if (!current) throw new CrmError('not_found', 'the local record is gone')
    const local = appSideNow(conflict.fields, conflict.local, current.fields)
    let normalized = given
    if (!normalized) {
      const chosen = (choices as ChooseLocked)({ conflict, local, localUpdatedAt: current.updatedAt })
      if (!chosen) throw new CrmError('conflict', `a field of this conflict still goes to a person (${conflict.fields.join(', ')})`)
      normalized = await normalizeChoices(tx, tenantId, conflict, chosen)
    }
    const moved = seen ? changedSinceSeen(conflict.fields, { local, remote: conflict.remote }, seen) : []
    if (moved.length) throw new CrmError('conflict', `the record changed since (${moved.join(', ')}); review the new values and apply again`)
    const outcome = applyReviewDecision({ fields: conflict.fields, localSnapshot: local, remoteSnapshot: conflict.remote }, normalized)
    await updateLocalFields(tx, tenantId, conflict.connectionId, conflict.objectType, conflict.localId, outcome.toLocal)
    const keptLocal = Object.keys(outcome.toRemote).filter((f) => !(f in outcome.toLocal))
    const columns = keptLocal.map((f) => columnOfField(conflict.objectType, f))
    await enqueuePush(tx, tenantId, conflict.connectionId, conflict.objectType, columns.length ? [{ localId: conflict.localId, columns }] : [])
    // The decision is final for the values decided: the link's base for each field becomes
    // the CRM's value the person saw (and took or rejected). The next pull then sees the CRM
    // unchanged there and the app's value as the app's edit, pushed, instead of a field
    // changed on both sides for the strategy to give to HubSpot, whose modification time
    // may be our own later push of another field. Only a later CRM edit is news. Where the
    // CRM already holds the chosen value, the push has nothing to send back.
    const crmSeen = Object.fromEntries(conflict.fields.map((f) => [f, fieldEntry(f, conflict.remote[f] ?? null)]))
    await mergeFieldHashes(tx, conflict.connectionId, conflict.objectType, conflict.localId, crmSeen)
    const resolution = { choices: normalized, toLocal: outcome.toLocal, toRemote: outcome.toRemote, ...(decidedBy ? { decidedBy } : {}) }
    if (!(await closeConflict(tx, conflict.id, resolution))) {
      throw new CrmError('conflict', 'this conflict was already decided')
    }
    return { status: 'resolved', toLocal: outcome.toLocal, toRemote: outcome.toRemote }
  })
}

/**
 * The choices checked against the conflict (every conflicting field decided, no other) and
 * typed values normalized as the field's kind wants them (validation error naming each refused one).
 */
async function normalizeChoices(tx: Tx, tenantId: string, conflict: ConflictRow, choices: Readonly<Record<string, ReviewChoice>>): Promise<Record<string, ReviewChoice>> {
  // A choice for a field not in conflict would be dropped without a word: refuse it instead.
  const notInConflict = Object.keys(choices).filter((f) => !conflict.fields.includes(f))
  if (notInConflict.length) {
    throw new CrmError('validation', `not in this conflict: ${notInConflict.join(', ')}; decide only ${conflict.fields.join(', ')}`)
  }
  const connection = await getConnection(tx, conflict.connectionId)
  const defaultCountry = parseSettings(connection?.settings).defaultCountry ?? env().SYNC_DEFAULT_PHONE_COUNTRY
  const typed = Object.values(choices).some((c) => typeof c === 'object')
  const options = typed && conflict.objectType === 'contact' ? await tenantFieldOptions(tx, tenantId, 'contact') : undefined
  const normalized: Record<string, ReviewChoice> = {}
  const refused: string[] = []
  for (const [field, choice] of Object.entries(choices)) {
    if (typeof choice !== 'object') {
      normalized[field] = choice
      continue
    }
    const value = typedValue(conflict.objectType, field, choice.value, { defaultCountry, options })
    if (!value.ok) refused.push(`choices.${field}: ${value.error}`)
    // An owner HubSpot does not have would clear the app's owner and fail the push.
    else if (field === 'ownerRemoteId' && value.value !== null && !(await hasLiveOwner(tx, conflict.connectionId, value.value))) {
      refused.push(`choices.ownerRemoteId: no owner "${value.value.slice(0, 40)}" in this HubSpot portal (give an owner's HubSpot id)`)
    } else normalized[field] = { value: value.value }
  }
  if (refused.length) throw new CrmError('validation', refused.join('; '))
  const undecided = conflict.fields.filter((f) => normalized[f] === undefined)
  if (undecided.length) throw new CrmError('validation', `decide every conflicting field; missing: ${undecided.join(', ')}`)
  return normalized
}
