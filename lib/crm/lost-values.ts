import type { Fields } from './types'

// A mapped column the host app dropped and added again (or renamed away and replaced by a
// new column under its name) comes back empty on every row, while HubSpot and the links still
// hold what was last synced. That emptiness is not an edit of the app: the links of the
// connection remember such a field as LOST_ENTRY instead of the value's hash (see
// recreated-columns.ts), and until the field is synced again:
//  - an empty app value is never sent to HubSpot (the push leaves the field out), and the
//    pull reads it as the CRM's value, so the CRM's is written into the app whatever the
//    strategy (no conflict, no "app wins: empty" under an app-owned field);
//  - a value the app wrote since is the app's, weighed as with no sync history: sent by the
//    push; the pull's strategy settles it if HubSpot's differs.
// Pure: the pull planner and the push planner share it.

/** A link's entry for a field whose app column was re-created: what it held when last synced is gone. Not hex, so no value hashes to it. */
export const LOST_ENTRY = 'lost'

const isEmpty = (v: string | null | undefined) => v == null || v === ''

/** Whether the link's entry is LOST_ENTRY and the app's value is empty: the re-created column's emptiness, not the app's. */
export function emptinessNotTheApps(entry: string | undefined, appValue: string | null | undefined): boolean {
  return entry === LOST_ENTRY && isEmpty(appValue)
}

/** Whether any of a link's entries is LOST_ENTRY (its record must be read in full, never skipped as unchanged). */
export function hasLostEntry(entries: Record<string, string>): boolean {
  for (const k in entries) if (entries[k] === LOST_ENTRY) return true
  return false
}

/**
 * The app's values and the link's entries as the pull weighs them: a lost field that the app
 * left empty takes the CRM's value (it is what the column held), and every lost entry is
 * left out of the base (what was last synced there is unknown: differing values count as
 * changed on both sides, as for a record with no sync history). `filled`: the fields given
 * the CRM's value, which the record's write must carry into the app even when nothing else
 * of it is written.
 */
export function weighLost(app: Fields, base: Record<string, string>, crm: Fields): { app: Fields; base: Record<string, string>; filled: string[] } {
  if (!hasLostEntry(base)) return { app, base, filled: [] }
  const outApp: Fields = { ...app }
  const outBase: Record<string, string> = {}
  const filled: string[] = []
  for (const k in base) {
    if (base[k] !== LOST_ENTRY) {
      outBase[k] = base[k]
      continue
    }
    if (isEmpty(app[k]) && !isEmpty(crm[k])) {
      outApp[k] = crm[k]!
      filled.push(k)
    }
  }
  return { app: outApp, base: outBase, filled }
}
