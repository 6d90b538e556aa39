import { sameFieldEntry } from '../reference-entry'
import { CANONICAL_FIELDS, type Fields, type ObjectType } from '../types'

// When the CRM merges a record into another and the app held both, the merged-away local
// record is archived (lib/crm/pull/merges.ts). An edit the app made to it and had not pushed
// yet would go with it: its outbox entry finds an archived record and sends nothing. Instead
// that edit is carried to the survivor's local record and weighed there by the pull's
// planner like any edit of the survivor, with the time it was made. Pure, tested by table.

/** Fields the CRM alone maintains: never an app edit. */
const CRM_OWNED: ReadonlySet<string> = new Set(['lastActivityAt', 'leadSourceSystem'])

/** One field of the app's edit, carried to the survivor's local record. */
export interface CarriedField {
  value: string | null
  /** When the app made it (its record's updated_at): what a timestamp strategy weighs. */
  at: Date
  /**
   * Set when the survivor holds the very value the app's edit replaced (HubSpot filled the
   * survivor's empty field from the merged-away record, or both held it): the entry the
   * planner takes as last synced, so it sees no change on the CRM's side to weigh.
   */
  base?: string
}

export type CarriedEdits = Record<string, CarriedField>

/** A local record and what its link remembers of the CRM's values (its field entries). */
export interface LinkedLocal {
  fields: Fields
  updatedAt: Date
  base: Record<string, string>
}

/** Fields the app changed on a linked local record since its last sync: what its push would send. */
export function unpushedFields(type: ObjectType, rec: LinkedLocal): string[] {
  return CANONICAL_FIELDS[type].filter((f) =>
    !CRM_OWNED.has(f) && rec.base[f] !== undefined && !sameFieldEntry(f, rec.base[f], rec.fields[f] ?? null))
}

/**
 * The merged-away record's unpushed edits to carry to the survivor's local record. A field the
 * app also changed on the survivor, later, keeps the survivor's value (of two app edits, the
 * later stands). `survivorRemote` is the survivor as the CRM now holds it.
 */
export function carriedEdits(type: ObjectType, gone: LinkedLocal, survivor: LinkedLocal, survivorRemote: Fields): CarriedEdits {
  const ownEdits = new Set(unpushedFields(type, survivor))
  const out: CarriedEdits = {}
  for (const f of unpushedFields(type, gone)) {
    if (ownEdits.has(f) && survivor.updatedAt >= gone.updatedAt) continue
    const carried: CarriedField = { value: gone.fields[f] ?? null, at: gone.updatedAt }
    if (sameFieldEntry(f, gone.base[f], survivorRemote[f] ?? null)) carried.base = gone.base[f]
    out[f] = carried
  }
  return out
}

/** Several records merged into one: per field, the later edit. */
export function combineCarried(a: CarriedEdits | undefined, b: CarriedEdits): CarriedEdits {
  const out: CarriedEdits = { ...a }
  for (const [f, c] of Object.entries(b)) if (!out[f] || out[f].at < c.at) out[f] = c
  return out
}
