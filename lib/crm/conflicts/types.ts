// The resolver's shapes. Every strategy is a `ConflictStrategy`: it settles ONE field that
// both sides changed to different values; resolve.ts does everything around that.
import type { FieldKind, Fields, ObjectType } from '../types'
import type { ConflictConfig } from './config'

export type Side = 'local' | 'remote'

/** One field of one record, as both sides hold it now. */
export interface FieldState {
  local: string | null
  remote: string | null
  /** Differs from what was last synced (the caller compares per-field hashes). */
  localChanged: boolean
  remoteChanged: boolean
  /** When this field changed on each side, where known. */
  localAt: Date | null
  remoteAt: Date | null
}

export interface RecordChanges {
  objectType: ObjectType
  fields: Record<string, FieldState>
  /** Record-level modification times: the fallback when a field has no timestamp of its own. */
  localUpdatedAt?: Date | null
  remoteUpdatedAt?: Date | null
}

export interface FieldConflict {
  objectType: ObjectType
  field: string
  kind: FieldKind
  local: string | null
  remote: string | null
  /** The field's timestamps, already falling back to the record's. */
  localAt: Date | null
  remoteAt: Date | null
  config: ConflictConfig
}

export type FieldOutcome =
  | { winner: Side; reason: string }
  | { winner: 'merged'; value: string | null; reason: string }
  /** Nothing is written: the field waits for a person. */
  | { winner: 'none'; reason: string }

export type ConflictStrategy = (conflict: FieldConflict) => FieldOutcome

export interface FieldDecision {
  winner: Side | 'merged' | 'none'
  reason: string
  /**
   * Set when the field changed on both sides to different values and the strategy weighed it
   * (settled it, or left it for a person): the outcome that depends on the strategy chosen.
   * Unset when one side changed, an owner decided, or the field is held.
   */
  byStrategy?: true
}

export interface Resolution {
  /** Values to write to the app's tables: only fields whose local value changes. */
  toLocal: Fields
  /** Values to push to the CRM: only fields whose remote value changes. */
  toRemote: Fields
  /** Fields left for manual review, both sides untouched. */
  conflicts: string[]
  decisions: Record<string, FieldDecision>
}

export const SIDE_OF_SYSTEM = { app: 'local', crm: 'remote' } as const satisfies Record<string, Side>

export function isEmptyValue(value: string | null | undefined): boolean {
  return value == null || value.trim() === ''
}

export function sameValue(a: string | null, b: string | null): boolean {
  return a === b || (isEmptyValue(a) && isEmptyValue(b))
}
