import type { LinkWrite } from '../../store/links'
import type { RecordError, RunCounts } from '../../store/runs'
import type { PushResult } from '../adapters/types'
import { fieldEntry } from '../reference-entry'
import { CANONICAL_FIELDS, type Fields, type ObjectType } from '../types'
import type { CoalescedChange } from './coalesce'

// Turns the CRM's per-record answers into outbox acks, failures and link writes.

const EXISTING_ID = /Existing ID: (\d+)/

export interface PushOutcome {
  acks: number[]
  fails: Array<{ id: number; error: string }>
  /** Per local id: the link to record once the round commits. */
  links: Map<string, LinkWrite>
  /** Creates the CRM refused as duplicates of its record `remoteId` (same email): see claimFound. */
  found: Found[]
  /** Linked to the CRM's record they found: looked at again this run, as updates of it. */
  again: Found[]
}

export interface Found { change: CoalescedChange; remoteId: string }

/** The app's record a CRM id is linked to already, and what to call it. */
export interface Holder { localId: string; name: string | null }

export interface SentItem {
  change: CoalescedChange
  fields: Fields
  base: Record<string, string>
}

export function settle(type: ObjectType, kind: 'created' | 'updated', items: SentItem[], results: PushResult[], out: PushOutcome,
  counts: RunCounts, errors: RecordError[]): SentItem[] {
  const done: SentItem[] = []
  const byLocal = new Map(results.map((r) => [r.localId, r]))
  for (const item of items) {
    const { change } = item
    const r = byLocal.get(change.localId)
    if (r?.ok && r.remoteId && r.record) {
      // The link remembers, per field, the hash of what the CRM now holds: when the same
      // content comes back (webhook or pull), it is recognised as our own echo.
      const fieldHashes = { ...item.base }
      for (const [f, v] of Object.entries(item.fields)) fieldHashes[f] = fieldEntry(f, v)
      if (kind === 'created') for (const f of CANONICAL_FIELDS[type]) fieldHashes[f] ??= fieldEntry(f, r.record.fields[f])
      out.links.set(change.localId, {
        localId: change.localId, remoteId: r.remoteId, remoteUpdatedAt: r.record.updatedAt,
        // No record hash: the next pull compares field by field.
        syncedHash: '', fieldHashes, origin: kind === 'created' ? 'app' : 'crm', matchReason: kind === 'created' ? 'pushed' : 'link', direction: 'push',
      })
      out.acks.push(...change.entryIds)
      counts.pushed++
      done.push(item)
      continue
    }
    const error = r?.error ?? 'no result for this record'
    const existing = kind === 'created' ? EXISTING_ID.exec(error)?.[1] : undefined
    if (existing) {
      out.found.push({ change, remoteId: existing })
      continue
    }
    failChange(out, change, error, counts, errors)
  }
  return done
}

/** A record refused: its entries wait with `error` (and a growing delay), counted failed and listed. */
export function failChange(out: PushOutcome, change: CoalescedChange, error: string, counts: RunCounts, errors: RecordError[]): void {
  counts.failed++
  errors.push({ localId: change.localId, message: error })
  for (const id of change.entryIds) out.fails.push({ id, error })
}

/**
 * The creates the CRM refused as its record's duplicates (out.found): each is linked to that
 * record and looked at again this run (out.again), an update of it. Unless the app holds the
 * record as another of its own (`holders`: linked already, or claimed by another record of
 * this call): a link is one record each side, so this one could never attach, and trying
 * again repeats the same refusal; it fails, naming the other record, until the app merges
 * the two or changes the email.
 */
export function claimFound(type: ObjectType, out: PushOutcome, holders: ReadonlyMap<string, Holder>, counts: RunCounts, errors: RecordError[]): void {
  const claimed = new Map<string, Holder>(holders)
  for (const l of out.links.values()) claimed.set(l.remoteId, { localId: l.localId, name: null })
  for (const { change, remoteId } of out.found) {
    const holder = claimed.get(remoteId)
    if (holder && holder.localId !== change.localId) {
      const other = holder.name ? `${holder.name} (${holder.localId})` : holder.localId
      const what = type === 'contact' ? 'email' : 'value'
      failChange(out, change, `HubSpot already has this ${what} on ${type} ${remoteId}, which the app holds as another record, ${other}: `
        + `merge the two in the app or change the ${what}`, counts, errors)
      continue
    }
    claimed.set(remoteId, { localId: change.localId, name: null })
    out.links.set(change.localId, { localId: change.localId, remoteId, remoteUpdatedAt: new Date(0), syncedHash: '', fieldHashes: {},
      origin: 'crm', matchReason: 'email', direction: 'pull' })
    out.again.push({ change, remoteId })
  }
  out.found = []
}

/**
 * Sends items in batches. When a whole batch fails without a per-record verdict (a 400
 * for the request), each record is sent alone, so one bad record cannot hold up the rest.
 */
export async function sendInBatches<T extends { change: CoalescedChange }>(items: T[], size: number,
  send: (batch: T[]) => Promise<PushResult[]>, afterBatch: (batch: T[], results: PushResult[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    const batch = items.slice(i, i + size)
    let results = await send(batch)
    if (batch.length > 1 && results.every((r) => !r.ok && !r.permanent)) {
      results = []
      for (const item of batch) results.push(...(await send([item])))
    }
    await afterBatch(batch, results)
  }
}
