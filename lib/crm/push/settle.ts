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
  /** Entries to look at again this run (a create that found the CRM's record by email). */
  again: number[]
}

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
      // The CRM already has this contact (same email): link to it; the next round updates it.
      out.links.set(change.localId, { localId: change.localId, remoteId: existing, remoteUpdatedAt: new Date(0), syncedHash: '', fieldHashes: {},
        origin: 'crm', matchReason: 'email', direction: 'pull' })
      out.again.push(...change.entryIds)
      continue
    }
    counts.failed++
    errors.push({ localId: change.localId, message: error })
    for (const id of change.entryIds) out.fails.push({ id, error })
  }
  return done
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
