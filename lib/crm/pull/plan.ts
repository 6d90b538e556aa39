import { resolveChanges } from '../conflicts/resolve'
import type { ConflictConfig } from '../conflicts/config'
import type { FieldState } from '../conflicts/types'
import { fieldEntry, referenceEntry, sameFieldEntry, sameReference } from '../reference-entry'
import { contactsBase, contactsEntry, contactsValue, sameContacts } from '../deal-contacts'
import { hashFields } from '../hash'
import { hasLostEntry, LOST_ENTRY, weighLost } from '../lost-values'
import type { IdentityDecision } from '../identity'
import { CANONICAL_FIELDS, CRM_OWNED_FIELDS, type Fields, type ObjectType, type RemoteRecord } from '../types'
import type { Link, LinkWrite } from '../../store/links'
import type { LocalRecord } from '../../store/records'
import type { CarriedEdits } from './merge-edits'

// Decides, for one page of (normalized) remote records, what happens to each: pure, so
// every rule is tested by table. apply-page.ts does the reading and writing around it.


/**
 * 'held': the CRM's news for the record is only in fields waiting for a person (manual
 * review): the conflict is opened or refreshed and the link remembers the read, but the
 * record itself is not written (no write: its updated_at stays the app's last edit, which
 * "the newer edit wins" and the leads list read), and it is not counted as updated.
 */
export type PlanKind = 'create' | 'update' | 'held' | 'unchanged' | 'echo' | 'stale' | 'orphan'

/** Association entries kept in the link's field hashes beside the canonical ones: those the read brought. */
function associationEntries(r: RemoteRecord): Record<string, string> {
  if (!r.associations) return {}
  const out: Record<string, string> = {}
  if (r.associations.companyRemoteId !== undefined) out['@company'] = referenceEntry(r.associations.companyRemoteId)
  if (r.associations.contactRemoteIds) out['@contacts'] = contactsEntry(r.associations.contactRemoteIds)
  return out
}

/** Whether the CRM's association `key` is what the link's entry remembers (either entry may be an older link's hash). */
function associationMatches(r: RemoteRecord, key: string, stored: string | undefined): boolean {
  return key === '@contacts' ? sameContacts(stored, r.associations!.contactRemoteIds!) : sameReference(stored, r.associations!.companyRemoteId)
}

/** Whether the associations read for `r` differ from what its link remembers (`fieldHashes`). */
export function associationsMoved(r: RemoteRecord, fieldHashes: Record<string, string>): boolean {
  for (const k of Object.keys(associationEntries(r))) if (!associationMatches(r, k, fieldHashes[k])) return true
  return false
}

export interface RecordPlan {
  record: RemoteRecord
  kind: PlanKind
  localId?: string
  /** The full row to write locally (create/update; never for 'held'). */
  write?: Fields
  /** With `write`: the extra properties (crm_properties) to write, the CRM's as read; unset: the row keeps its own. */
  extra?: Fields
  link?: LinkWrite
  /** Fields whose local value must be pushed to the CRM. */
  toRemote?: string[]
  /** Fields whose local value the write replaces with the CRM's (an app edit of them, not pushed yet, is lost). */
  toLocal?: string[]
  /** Fields left for manual review. */
  conflict?: { fields: string[]; local: Fields; remote: Fields; localAt: Date | null; remoteAt: Date | null }
  /** Fields changed on both sides to different values that the strategy settled (not left for a person). */
  settled?: string[]
  /**
   * Updates only: the associations to keep as the app has them, because the CRM has not
   * changed them since the last sync (an edit the app made to them is on its way out in the
   * push). Unset: every association is written as the CRM has it.
   */
  keepLocal?: { company: boolean; contacts: boolean }
  /** Deals: the contacts the link remembered from the last sync (null: unknown), for the pull's merge with an unpushed edit. */
  contactsBase?: ReadonlySet<string> | null
}

export interface PlanInput {
  type: ObjectType
  records: RemoteRecord[]
  links: ReadonlyMap<string, Link>
  decisions: IdentityDecision[]
  locals: ReadonlyMap<string, LocalRecord>
  /** Per local id, the fields waiting in its open conflict: held whatever the strategy is now. */
  held?: ReadonlyMap<string, ReadonlySet<string>>
  conflicts: ConflictConfig
  newId: () => string
  /**
   * Per local id: the unpushed edits of a record the CRM merged into this one's (see
   * merge-edits.ts), weighed as the app's edits of this record.
   */
  carried?: ReadonlyMap<string, CarriedEdits>
}

/** The hash of what the CRM holds for a record, associations included. */
export function contentHash(r: RemoteRecord): string {
  // As if spread over the fields: the hash is the one stored since the first release.
  // Extra properties count under '#name' (no field name starts with '#'); with none, the
  // hash is what it was before they existed, so turning them on re-writes only records
  // that hold a value.
  const extra: Fields = {
    '@company': r.associations?.companyRemoteId ?? null,
    '@contacts': r.associations?.contactRemoteIds ? contactsValue(r.associations.contactRemoteIds) : null,
    '@archived': r.archived ? '1' : null,
  }
  if (r.extra) for (const name in r.extra) extra[`#${name}`] = r.extra[name]
  return hashFields(r.fields, extra)
}

/** Whether the extra properties read are what the row holds (unread: nothing to compare). */
function sameExtra(read: Fields | undefined, held: Fields | undefined): boolean {
  if (!read) return true
  const h = held ?? {}
  let n = 0
  for (const name in read) {
    if (h[name] !== read[name]) return false
    n++
  }
  for (const name in h) if (h[name] != null && h[name] !== '') n--
  return n === 0
}

export function planPage(input: PlanInput): RecordPlan[] {
  return input.records.map((record, i) => planRecord(input, record, input.decisions[i]))
}

function planRecord(input: PlanInput, record: RemoteRecord, decision: IdentityDecision): RecordPlan {
  const link = input.links.get(record.remoteId)
  const hash = contentHash(record)
  if (link && link.remoteUpdatedAt && record.updatedAt < link.remoteUpdatedAt) return { record, kind: 'stale', localId: link.localId }
  // A merged-away record's edits arrived: the CRM's content alone no longer says "unchanged".
  const carried = decision.kind === 'create' ? undefined : input.carried?.get(decision.localId)
  // A link with a lost field (its app column was re-created) waits for this read to fill it.
  if (link && !link.archivedAt && link.syncedHash === hash && !carried && !hasLostEntry(link.fieldHashes)) {
    return { record, kind: link.lastDirection === 'push' ? 'echo' : 'unchanged', localId: link.localId }
  }
  if (decision.kind === 'create') {
    const localId = input.newId()
    return {
      record, kind: 'create', localId, write: { ...record.fields }, extra: record.extra,
      link: linkWrite(record, localId, hash, linkEntries(input.type, record), 'created'),
    }
  }
  const stored = input.locals.get(decision.localId)
  // The local row is gone (deleted in the app): the outbox's delete will reach the CRM.
  if (!stored) return { record, kind: 'orphan', localId: decision.localId }
  const edited = carried ? withCarried(stored, carried) : stored
  const linkBase = link && link.localId === decision.localId ? link.fieldHashes : undefined
  const synced = linkBase && carried ? withCarriedBase(linkBase, carried) : linkBase
  if (synced && !carried && !link!.archivedAt && remoteMatchesBase(input.type, record, synced) && sameExtra(record.extra, edited.extra)) {
    // Same content as last synced, field by field (our own push coming back, typically):
    // only the link's bookkeeping moves (and a '@contacts' kept as a hash becomes the list).
    const fieldHashes = { ...synced, ...associationEntries(record) }
    return {
      record, kind: link!.lastDirection === 'push' ? 'echo' : 'unchanged', localId: decision.localId,
      link: linkWrite(record, decision.localId, hash, fieldHashes, 'link', link!.origin),
    }
  }
  // Fields whose app column was re-created (lost-values.ts): an empty app value there is the CRM's.
  const weighed = synced ? weighLost(edited.fields, synced, record.fields) : undefined
  const local = weighed ? { ...edited, fields: weighed.app } : edited
  const base = weighed?.base
  const states = fieldStates(input.type, local, record, base, carried)
  const resolution = resolveChanges(
    { objectType: input.type, fields: states, localUpdatedAt: local.updatedAt, remoteUpdatedAt: record.updatedAt },
    input.conflicts,
    input.held?.get(decision.localId),
  )
  const write: Fields = { ...local.fields, ...resolution.toLocal }
  const fieldHashes: Record<string, string> = {}
  const conflicted = new Set(resolution.conflicts)
  for (const f of CANONICAL_FIELDS[input.type]) {
    if (conflicted.has(f)) {
      if (synced?.[f]) fieldHashes[f] = synced[f]
    } else if (f in resolution.toRemote) {
      // The CRM holds its value until our push lands; the push records the new hash.
      fieldHashes[f] = fieldEntry(f, record.fields[f])
    } else {
      fieldHashes[f] = fieldEntry(f, write[f])
    }
  }
  const associations = associationEntries(record)
  Object.assign(fieldHashes, associations)
  const reason = decision.kind === 'link' ? 'link' : decision.reason
  const plan: RecordPlan = {
    record, kind: 'update', localId: decision.localId, write, extra: record.extra,
    link: linkWrite(record, decision.localId, hash, fieldHashes, reason, link?.origin),
  }
  // Associations are not weighed field by field: the CRM's wins when it changed since the
  // last sync, and otherwise the app's stands (a change the app made to it is in the outbox).
  // Without sync history, the CRM's is taken. A company column the app re-created
  // (lost-values.ts): empty, it takes the CRM's company; a company the app set since is the
  // app's, and stands (its outbox entry sends it).
  const unchangedInCrm = (k: string) => base?.[k] !== undefined && k in associations && associationMatches(record, k, base[k])
  const appSetLostCompany = synced?.['@company'] === LOST_ENTRY && local.companyId !== null
  if (base && record.associations) plan.keepLocal = { company: unchangedInCrm('@company') || appSetLostCompany, contacts: unchangedInCrm('@contacts') }
  if (record.associations?.contactRemoteIds) plan.contactsBase = contactsBase(base?.['@contacts'])
  const settled = Object.keys(resolution.decisions).filter((f) => resolution.decisions[f].byStrategy && resolution.decisions[f].winner !== 'none')
  if (settled.length) plan.settled = settled
  const toRemote = Object.keys(resolution.toRemote)
  if (toRemote.length) plan.toRemote = toRemote
  const toLocal = Object.keys(resolution.toLocal).filter((f) => !(f in resolution.toRemote))
  if (toLocal.length) plan.toLocal = toLocal
  if (resolution.conflicts.length) {
    plan.conflict = {
      fields: resolution.conflicts, local: local.fields, remote: record.fields,
      localAt: latest(resolution.conflicts.map((f) => states[f].localAt)), remoteAt: latest(resolution.conflicts.map((f) => states[f].remoteAt)),
    }
    const nothingElse = Object.keys(resolution.toLocal).length === 0 && toRemote.length === 0 && !carried && !weighed?.filled.length
      && sameExtra(record.extra, local.extra) && base !== undefined && !link!.archivedAt && !associationsMoved(record, base)
    if (nothingElse) {
      plan.kind = 'held'
      // Writing the row would only move its updated_at to this pull's time.
      delete plan.write
      delete plan.extra
    }
  }
  return plan
}

/** The latest of some times (null when none is known). */
export function latest(times: Array<Date | null>): Date | null {
  let out: Date | null = null
  for (const t of times) if (t && (!out || t > out)) out = t
  return out
}

/** The local record with the carried edits in it. */
function withCarried(local: LocalRecord, carried: CarriedEdits): LocalRecord {
  const fields = { ...local.fields }
  for (const [f, c] of Object.entries(carried.fields)) fields[f] = c.value
  return { ...local, fields }
}

/** The link's entries, where a carried edit replaced the value the survivor holds: that value as last synced. */
function withCarriedBase(base: Record<string, string>, carried: CarriedEdits): Record<string, string> {
  return { ...base, ...carried.base }
}

function fieldStates(type: ObjectType, local: LocalRecord, record: RemoteRecord, base: Record<string, string> | undefined,
  carried?: CarriedEdits): Record<string, FieldState> {
  const states: Record<string, FieldState> = {}
  for (const f of CANONICAL_FIELDS[type]) {
    const localValue = local.fields[f] ?? null
    const remoteValue = record.fields[f] ?? null
    const baseHash = base?.[f]
    // Without sync history (a manual lead matched by email), differing values count as
    // changed on both sides, so the strategy settles them.
    const remoteChanged = baseHash === undefined ? localValue !== remoteValue : !sameFieldEntry(f, baseHash, remoteValue)
    const localChanged = CRM_OWNED_FIELDS.has(f)
      ? false
      : baseHash === undefined ? localValue !== remoteValue : !sameFieldEntry(f, baseHash, localValue)
    states[f] = {
      local: localValue, remote: remoteValue, localChanged, remoteChanged,
      localAt: carried?.fields[f]?.at ?? local.updatedAt, remoteAt: record.fieldUpdatedAt?.[f] ?? record.updatedAt,
    }
  }
  return states
}

function remoteMatchesBase(type: ObjectType, record: RemoteRecord, base: Record<string, string>): boolean {
  for (const f of CANONICAL_FIELDS[type]) if (!sameFieldEntry(f, base[f], record.fields[f])) return false
  for (const k of Object.keys(associationEntries(record))) if (!associationMatches(record, k, base[k])) return false
  return true
}

/** What a new link remembers of a record: each field's entry, and its associations. */
function linkEntries(type: ObjectType, record: RemoteRecord): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of CANONICAL_FIELDS[type]) out[f] = fieldEntry(f, record.fields[f])
  return Object.assign(out, associationEntries(record))
}

function linkWrite(record: RemoteRecord, localId: string, syncedHash: string, fieldHashes: Record<string, string>,
  matchReason: LinkWrite['matchReason'], origin: 'crm' | 'app' = 'crm'): LinkWrite {
  return { localId, remoteId: record.remoteId, remoteUpdatedAt: record.updatedAt, syncedHash, fieldHashes, origin, matchReason, direction: 'pull' }
}
