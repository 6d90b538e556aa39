import type { OutboxEntry } from '../../store/outbox'

export interface CoalescedChange {
  localId: string
  entryIds: number[]
  /** The record was deleted locally (the last word wins: a delete after edits is a delete). */
  deleted: boolean
  /** Columns changed since the last push (union of all entries). */
  columns: Set<string>
}

/** Many outbox entries per record become one change per record, in first-seen order. */
export function coalesce(entries: OutboxEntry[]): CoalescedChange[] {
  const byLocal = new Map<string, CoalescedChange>()
  for (const e of entries) {
    let c = byLocal.get(e.localId)
    if (!c) {
      c = { localId: e.localId, entryIds: [], deleted: false, columns: new Set() }
      byLocal.set(e.localId, c)
    }
    c.entryIds.push(e.id)
    if (e.op === 'delete') c.deleted = true
    else {
      c.deleted = false
      for (const col of e.changedFields) c.columns.add(col)
    }
  }
  return [...byLocal.values()]
}
