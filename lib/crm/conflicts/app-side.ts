// The app's side of an open conflict is the app's row as it is now, not as the sync last saw
// it: an app edit of a waiting field (the lead form, an import, a plain UPDATE of the table)
// is the app's side the moment it commits, whatever wrote it. Stored snapshots catch up on
// the next push (refreshConflictLocals), but the queue and a decision must not wait for it.
import type { Fields } from '../types'

/** The values one conflicting field showed a person (or a strategy) when they chose. */
export interface SeenValues {
  local: string | null
  remote: string | null
}

/**
 * The stored local snapshot with each conflicting field taken from the row as it is now.
 * A field the row does not carry (not one of the record's canonical fields) keeps its stored value.
 */
export function appSideNow(fields: readonly string[], stored: Fields, current: Fields): Fields {
  const out: Fields = { ...stored }
  for (const f of fields) if (f in current) out[f] = current[f] ?? null
  return out
}

/**
 * Conflicting fields whose value on either side is not what was seen: the choice was made on
 * other values, so it must not be applied to these. A field with no seen values (the conflict
 * took it on since) counts as changed.
 */
export function changedSinceSeen(fields: readonly string[], now: { local: Fields; remote: Fields },
  seen: Readonly<Record<string, SeenValues>>): string[] {
  return fields.filter((f) => {
    const s = seen[f]
    return !s || s.local !== (now.local[f] ?? null) || s.remote !== (now.remote[f] ?? null)
  })
}

/** What a page (or a strategy) shows of a conflict: each conflicting field's two values. */
export function seenValues(fields: readonly string[], local: Fields, remote: Fields): Record<string, SeenValues> {
  return Object.fromEntries(fields.map((f) => [f, { local: local[f] ?? null, remote: remote[f] ?? null }]))
}
