import { contactsBase, contactsEntry } from '../deal-contacts'
import { isEmptyValue, sameValue } from '../conflicts/types'
import { sameFieldEntry, sameReference } from '../reference-entry'
import { CANONICAL_FIELDS, CRM_OWNED_FIELDS, IDENTITY_FIELDS, type Fields, type ObjectType } from '../types'

// When the CRM merges a record into another and the app held both, the merged-away local
// record is archived (lib/crm/pull/merges.ts). An edit the app made to it and had not pushed
// yet would go with it: its outbox entry finds an archived record and sends nothing. Instead
// that edit is carried to the survivor's local record and weighed there by the pull's
// planner like any edit of the survivor, with the time it was made. Pure, tested by table.

/** One field of the app's edit, carried to the survivor's local record. */
export interface CarriedField {
  value: string | null
  /** When the app made it (its record's updated_at): what a timestamp strategy weighs. */
  at: Date
}

export interface CarriedEdits {
  fields: Record<string, CarriedField>
  /**
   * Link entries (a field's, '@company') the planner takes as last synced instead of the
   * survivor's link's: where the survivor holds the very value the app's edit replaced
   * (HubSpot filled the survivor's empty field from the merged-away record, or moved its
   * company over), so there is no change on the CRM's side to weigh against the edit.
   */
  base: Record<string, string>
}

/** A local record and what its link remembers of the CRM's values (its field entries). */
export interface LinkedLocal {
  fields: Fields
  updatedAt: Date
  base: Record<string, string>
}

/** Fields the app changed on a linked local record since its last sync: what its push would send. */
export function unpushedFields(type: ObjectType, rec: LinkedLocal): string[] {
  return CANONICAL_FIELDS[type].filter((f) =>
    !CRM_OWNED_FIELDS.has(f) && rec.base[f] !== undefined && !sameFieldEntry(f, rec.base[f], rec.fields[f] ?? null))
}

/**
 * The merged-away record's unpushed field edits to carry to the survivor's local record. A
 * field the app also changed on the survivor, later, keeps the survivor's value (of two app
 * edits, the later stands). `survivorRemote` is the survivor as the CRM now holds it.
 */
export function carriedEdits(type: ObjectType, gone: LinkedLocal, survivor: LinkedLocal, survivorRemote: Fields): CarriedEdits {
  const ownEdits = new Set(unpushedFields(type, survivor))
  const out: CarriedEdits = { fields: {}, base: {} }
  for (const f of unpushedFields(type, gone)) {
    if (ownEdits.has(f) && survivor.updatedAt >= gone.updatedAt) continue
    out.fields[f] = { value: gone.fields[f] ?? null, at: gone.updatedAt }
    if (sameFieldEntry(f, gone.base[f], survivorRemote[f] ?? null)) out.base[f] = gone.base[f]
  }
  return out
}

/**
 * Of the carried fields, those the app's value waited for a person on in the merged-away
 * record's open conflict and that HubSpot changed on the survivor too (against the survivor's
 * link entry, or the carried base): they stay held, in a conflict on the survivor, whatever
 * the strategy is now (it may have changed since the conflict opened), as manual review would
 * have left them. Where HubSpot's survivor still holds what was last synced, or the app's
 * value, there is nothing to ask: the edit goes as any carried edit.
 */
export function heldOnSurvivor(type: ObjectType, edits: CarriedEdits, held: ReadonlySet<string>,
  survivorBase: Record<string, string>, survivorRemote: Fields): string[] {
  return CANONICAL_FIELDS[type].filter((f) => {
    const carried = edits.fields[f]
    if (!carried || !held.has(f)) return false
    const remote = survivorRemote[f] ?? null
    const base = edits.base[f] ?? survivorBase[f]
    // Without sync history, differing values count as changed on both sides (as the planner reads them).
    const remoteChanged = base === undefined || !sameFieldEntry(f, base, remote)
    return remoteChanged && !sameValue(carried.value, remote)
  })
}

/**
 * Of the carried fields, the identity ones (IDENTITY_FIELDS: a contact's email, phone; a
 * company's domain) where the survivor has its own value, another one: the app edited the
 * merged-away record's, not the survivor's, so it is not written over it unasked. They are
 * held in a conflict on the survivor, whatever the strategy, for a person to decide. A
 * survivor that had no value (HubSpot filled in the merged-away record's, the one the edit
 * replaced), or has the app's value already, takes the edit.
 */
export function identityOnSurvivor(type: ObjectType, edits: CarriedEdits, survivorRemote: Fields): string[] {
  return IDENTITY_FIELDS[type].filter((f) => {
    const carried = edits.fields[f]
    const remote = survivorRemote[f] ?? null
    // A carried base: the survivor holds the value the edit replaced, which HubSpot filled in.
    return !!carried && edits.base[f] === undefined && !isEmptyValue(remote) && !sameValue(carried.value, remote)
  })
}

/** A record's company as the app holds it, and whether a change to it waits in the outbox. */
export interface LocalCompany {
  companyId: string | null
  pending: boolean
  updatedAt: Date
  /** Its link's '@company' entry. */
  entry: string | undefined
}

/**
 * The company the app gave the merged-away record and has not pushed yet, for the survivor's
 * local record (undefined: nothing to carry), with the '@company' entry to take as last synced
 * when HubSpot moved the merged-away record's company over to the survivor.
 */
export function carriedCompany(gone: LocalCompany, survivor: LocalCompany, survivorRemoteCompany: string | null | undefined):
  { companyId: string | null; base?: string } | undefined {
  if (!gone.pending || gone.companyId === survivor.companyId) return undefined
  if (survivor.pending && survivor.updatedAt >= gone.updatedAt) return undefined
  return survivorRemoteCompany !== undefined && sameReference(gone.entry, survivorRemoteCompany)
    ? { companyId: gone.companyId, base: gone.entry }
    : { companyId: gone.companyId }
}

/**
 * The '@contacts' entry to take as last synced for the surviving deal when the app's edit of
 * the merged-away deal's contacts is carried to it: both deals' lists, since HubSpot moves
 * the merged-away deal's contacts over (that is no change on the CRM's side to weigh). With
 * either list unknown (a link from before lists were kept), undefined: the survivor's own
 * entry stands, and the app's additions still go, though a removal may not.
 */
export function carriedContactsBase(goneEntry: string | undefined, survivorEntry: string | undefined): string | undefined {
  const [gone, survivor] = [contactsBase(goneEntry), contactsBase(survivorEntry)]
  return gone && survivor ? contactsEntry([...survivor, ...gone]) : undefined
}

export function isEmpty(c: CarriedEdits): boolean {
  return Object.keys(c.fields).length === 0 && Object.keys(c.base).length === 0
}

/** Several records merged into one: per field, the later edit. */
export function combineCarried(a: CarriedEdits | undefined, b: CarriedEdits): CarriedEdits {
  if (!a) return b
  const out: CarriedEdits = { fields: { ...a.fields }, base: { ...a.base } }
  for (const [f, c] of Object.entries(b.fields)) {
    if (out.fields[f] && out.fields[f].at >= c.at) continue
    out.fields[f] = c
    if (b.base[f] !== undefined) out.base[f] = b.base[f]
    else delete out.base[f]
  }
  for (const [k, e] of Object.entries(b.base)) if (!(k in b.fields)) out.base[k] = e
  return out
}
