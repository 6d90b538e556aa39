// Settles one record whose fields may have changed on either side since the last sync.
//
// - Changed on one side only: that side wins, no conflict. This includes a rep or a user
//   deliberately clearing a field: a one-sided clear is an edit, not a conflict, and it is
//   applied to the other side (neverOverwriteWithEmpty guards conflicts only; applying it
//   here would make a field impossible to empty ever again).
// - Changed on both sides to the same value: nothing to do.
// - Changed on both sides to different values: the field's strategy decides
//   (perField > perObject > strategy). Then, if neverOverwriteWithEmpty is on, a decision
//   that would overwrite a non-empty value with an empty one is turned around.
// - Owned fields (fieldOwnership) only ever flow from their owner, whatever the strategy
//   and even when the owner's value is empty: the owner's change wins a conflict, and an
//   edit made on the other side alone is reverted to the owner's value, so both sides
//   converge instead of drifting apart forever.
// - Changed on neither side: nothing is written, even if the values differ (a field left
//   for manual review stays that way until decided). When there is no sync history yet, the
//   caller marks differing fields as changed on both sides.
// - Held (waiting in an open conflict): nothing is written either way, whatever the strategy
//   or ownership is now, and it stays a conflict while the sides differ: the strategy may have
//   changed since the conflict opened, but the field is a person's to decide until they do.
import { FIELD_KINDS } from '../types'
import { ownerOf, strategyFor, type ConflictConfig, type Strategy } from './config'
import { resolveByFieldMerge } from './field-merge'
import { resolveByManualReview } from './manual-review'
import { resolveBySourcePriority } from './source-priority'
import { resolveByTimestamp } from './timestamp-based'
import {
  SIDE_OF_SYSTEM, isEmptyValue, sameValue,
  type ConflictStrategy, type FieldOutcome, type FieldState, type RecordChanges, type Resolution, type Side,
} from './types'

export const CONFLICT_STRATEGIES: Record<Strategy, ConflictStrategy> = {
  timestamp_based: resolveByTimestamp,
  source_priority: resolveBySourcePriority,
  field_merge: resolveByFieldMerge,
  manual_review: resolveByManualReview,
}

const NONE_HELD: ReadonlySet<string> = new Set()

export function resolveChanges(changes: RecordChanges, config: ConflictConfig, held: ReadonlySet<string> = NONE_HELD): Resolution {
  const resolution: Resolution = { toLocal: {}, toRemote: {}, conflicts: [], decisions: {} }
  for (const field in changes.fields) {
    const state = changes.fields[field]
    if (held.has(field)) {
      resolution.decisions[field] = { winner: 'none', reason: 'waiting for a person in an open conflict' }
      if (!sameValue(state.local, state.remote)) resolution.conflicts.push(field)
      continue
    }
    const outcome = decideField(changes, field, state, config)
    resolution.decisions[field] = outcome.byStrategy
      ? { winner: outcome.winner, reason: outcome.reason, byStrategy: true }
      : { winner: outcome.winner, reason: outcome.reason }
    if (outcome.winner === 'none') {
      if (state.localChanged && state.remoteChanged && !sameValue(state.local, state.remote)) {
        resolution.conflicts.push(field)
      }
      continue
    }
    const value = outcome.winner === 'merged' ? outcome.value : state[outcome.winner]
    if (value !== state.local) resolution.toLocal[field] = value
    if (value !== state.remote) resolution.toRemote[field] = value
  }
  return resolution
}

function decideField(changes: RecordChanges, field: string, state: FieldState, config: ConflictConfig): FieldOutcome & { byStrategy?: true } {
  const { objectType } = changes
  const owner = ownerOf(config, objectType, field)
  if (!state.localChanged && !state.remoteChanged) return { winner: 'none', reason: 'unchanged on both sides' }
  if (owner) {
    const ownerSide = SIDE_OF_SYSTEM[owner]
    const ownerChanged = ownerSide === 'local' ? state.localChanged : state.remoteChanged
    return ownerChanged
      ? { winner: ownerSide, reason: `owned by ${owner}: its change wins` }
      : { winner: ownerSide, reason: `owned by ${owner}: the other side's edit is reverted` }
  }
  if (!state.remoteChanged) return { winner: 'local', reason: 'changed in the app only' }
  if (!state.localChanged) return { winner: 'remote', reason: 'changed in the CRM only' }
  if (sameValue(state.local, state.remote)) return { winner: 'none', reason: 'both sides changed to the same value' }

  const strategy = strategyFor(config, objectType, field)
  const outcome = CONFLICT_STRATEGIES[strategy]({
    objectType, field, kind: FIELD_KINDS[objectType][field] ?? 'text',
    local: state.local, remote: state.remote,
    localAt: state.localAt ?? changes.localUpdatedAt ?? null,
    remoteAt: state.remoteAt ?? changes.remoteUpdatedAt ?? null,
    config,
  })
  return { ...(config.neverOverwriteWithEmpty ? guardAgainstEmpty(outcome, state) : outcome), byStrategy: true }
}

function guardAgainstEmpty(outcome: FieldOutcome, state: FieldState): FieldOutcome {
  if (outcome.winner === 'none') return outcome
  const value = outcome.winner === 'merged' ? outcome.value : state[outcome.winner]
  if (!isEmptyValue(value)) return outcome
  const kept: Side = isEmptyValue(state.local) ? 'remote' : 'local'
  return { winner: kept, reason: `${outcome.reason}; kept the non-empty value (neverOverwriteWithEmpty)` }
}
