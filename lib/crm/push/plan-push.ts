import { COLUMN_OF, fieldOfColumn } from '../../store/columns'
import type { Link } from '../../store/links'
import type { LocalRecord } from '../../store/records'
import { sendableValue } from '../conflicts/typed-value'
import { emptinessNotTheApps } from '../lost-values'
import type { PortalOptions } from '../lead-options'
import { sameFieldEntry } from '../reference-entry'
import { normalizeFields, type NormalizeOptions } from '../normalize'
import { CANONICAL_FIELDS, CRM_OWNED_FIELDS, type Fields, type ObjectType } from '../types'
import type { CoalescedChange } from './coalesce'

// Decides what the push does for each coalesced local change: pure, tested by table.

export interface PushPlan {
  deletes: Array<{ change: CoalescedChange; remoteId: string }>
  creates: Array<{ change: CoalescedChange; fields: Fields }>
  /** `associations`: the record's company changed, or (deals) the app edited its contacts (the 'contacts' pseudo-column). */
  updates: Array<{ change: CoalescedChange; fields: Fields; remoteId: string; remoteUpdatedAt: Date; base: Record<string, string>; associations: boolean }>
  /** Entries with nothing to send (already in the CRM, deleted before ever being pushed, ...). */
  acks: number[]
  /**
   * The app's newer values for fields waiting in an open conflict: not sent, but they are
   * now the app's side of that conflict (the person deciding it sees them, and can apply them).
   * `at`: the row's updated_at, when the app made its last edit of the record.
   */
  heldEdits: Array<{ localId: string; fields: Fields; at: Date }>
  /**
   * Records not sent: a field to send holds a value HubSpot could not be sent as it is (a host
   * app writes the tables with SQL, past the lead forms' checks). The normalizer would have
   * sent "no value" in its place, leaving the two sides apart with no word.
   */
  fails: Array<{ change: CoalescedChange; error: string }>
}

export interface PushPlanInput {
  type: ObjectType
  changes: CoalescedChange[]
  links: ReadonlyMap<string, Link>
  locals: ReadonlyMap<string, LocalRecord>
  /** Fields waiting for a person (manual review): neither side moves until decided. */
  conflicted: ReadonlyMap<string, ReadonlySet<string>>
  normalize: NormalizeOptions
  /** The portal's options (lifecycle stage, lead status) once the sync has read them. */
  options?: PortalOptions
}

export function planPush(input: PushPlanInput): PushPlan {
  const plan: PushPlan = { deletes: [], creates: [], updates: [], acks: [], heldEdits: [], fails: [] }
  const { type } = input
  for (const c of input.changes) {
    const link = input.links.get(c.localId)
    const local = input.locals.get(c.localId)
    // The CRM deleted its record: the deletion stands; a local edit does not resurrect it.
    if (link?.archivedAt) {
      plan.acks.push(...c.entryIds)
      continue
    }
    if (c.deleted || !local || (local.archivedAt && c.columns.has('archived_at'))) {
      if (link) plan.deletes.push({ change: c, remoteId: link.remoteId })
      else plan.acks.push(...c.entryIds)
      continue
    }
    // Archived locally by the sync (the CRM deleted it), or by the app earlier: nothing to send.
    if (local.archivedAt) {
      plan.acks.push(...c.entryIds)
      continue
    }
    const fields = normalizeFields(type, pushable(type, local.fields), input.normalize)
    const held = input.conflicted.get(c.localId)
    // What goes: a new record's every field, a linked one's changed fields not held.
    const toSend = link ? [...c.columns].map((col) => fieldOfColumn(type, col)).filter((f): f is string => !!f && f in fields && !held?.has(f)) : Object.keys(fields)
    const refused = unsendable(type, local.fields, toSend, input)
    if (refused) {
      plan.fails.push({ change: c, error: refused })
      continue
    }
    if (!link) {
      plan.creates.push({ change: c, fields })
      continue
    }
    const changed: Fields = {}
    const heldNow: Fields = {}
    for (const col of c.columns) {
      const f = fieldOfColumn(type, col)
      if (!f || !(f in fields)) continue
      if (held?.has(f)) heldNow[f] = local.fields[f] ?? null
      // The emptiness of a column the app re-created is not sent (lost-values.ts): the pull fills it.
      else if (emptinessNotTheApps(link.fieldHashes[f], fields[f])) continue
      else if (!sameFieldEntry(f, link.fieldHashes[f], fields[f])) changed[f] = fields[f]
    }
    if (Object.keys(heldNow).length) plan.heldEdits.push({ localId: c.localId, fields: heldNow, at: local.updatedAt })
    // A company column the app re-created, left empty, holds no change of the app's: nothing
    // to send for it: the pull fills it (lost-values.ts).
    const company = type !== 'company' && c.columns.has('company_id') && !emptinessNotTheApps(link.fieldHashes['@company'], local.companyId)
    const associations = company || (type === 'deal' && c.columns.has('contacts'))
    if (Object.keys(changed).length === 0 && !associations) plan.acks.push(...c.entryIds)
    else plan.updates.push({ change: c, fields: changed, remoteId: link.remoteId, remoteUpdatedAt: link.remoteUpdatedAt ?? new Date(0), base: link.fieldHashes, associations })
  }
  return plan
}

function pushable(type: ObjectType, fields: Fields): Fields {
  const out: Fields = {}
  for (const f of CANONICAL_FIELDS[type]) if (!CRM_OWNED_FIELDS.has(f)) out[f] = fields[f] ?? null
  return out
}

/** Why `fields` of a record cannot go to the CRM as the app holds them (each refused field, by its column), or null. */
function unsendable(type: ObjectType, local: Fields, fields: string[], input: PushPlanInput): string | null {
  const reasons: string[] = []
  for (const f of fields) {
    const value = local[f]
    if (value == null) continue
    const verdict = sendableValue(type, f, value, { defaultCountry: input.normalize.defaultCountry, options: input.options })
    if (!verdict.ok) reasons.push(`${COLUMN_OF[type][f]?.column ?? f}: ${verdict.error}`)
  }
  if (reasons.length === 0) return null
  return `${reasons.join('; ')}: HubSpot cannot be sent it as the app holds it, so nothing of this record goes to HubSpot until the app fixes it`
}
