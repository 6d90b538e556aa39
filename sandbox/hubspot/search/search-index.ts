import { OBJECT_TYPES, type ObjectType } from '../object-types.js'
import type { Rec } from '../record.js'
import { FlagTree } from './fenwick.js'

interface Pending {
  at: number
  rec: Rec
}

/**
 * What HubSpot's search sees. A write reaches search only `lagMs` after it happened
 * ("It may take a few moments for newly created or updated CRM objects to appear in search
 * results" — https://developers.hubspot.com/docs/api/crm/search), so until then search
 * answers with the record's previous version (or not at all for a new record).
 *
 * Per type it keeps the visible version of each record (insertion order = creation order)
 * and an array of visible versions sorted by updatedAt, so the sync engine's
 * "lastmodifieddate >= x, ascending, 200 per page" is a binary search, not a full sort.
 */
export class SearchIndex {
  private visible = new Map<ObjectType, Map<string, Rec>>()
  private byModified = new Map<ObjectType, Rec[]>()
  /** Per position in byModified: 1 when it is the visible, non-archived version. */
  private liveFlags = new Map<ObjectType, FlagTree>()
  private positions = new Map<ObjectType, Map<string, number>>()
  private pending: Pending[] = []

  constructor() {
    this.reset()
  }

  reset(): void {
    for (const t of OBJECT_TYPES) {
      this.visible.set(t, new Map())
      this.byModified.set(t, [])
      this.liveFlags.set(t, new FlagTree())
      this.positions.set(t, new Map())
    }
    this.pending = []
  }

  /** Makes `rec` visible to search at time `at` (now when lag is 0). */
  schedule(rec: Rec, at: number, now: number): void {
    if (at <= now && this.pending.length === 0) {
      this.apply(rec)
      return
    }
    // Keep the queue ordered by visibility time (lag may change between writes).
    let i = this.pending.length
    while (i > 0 && this.pending[i - 1].at > at) i--
    this.pending.splice(i, 0, { at, rec })
  }

  /** Applies every pending version whose time has come. */
  drain(now: number): void {
    let n = 0
    while (n < this.pending.length && this.pending[n].at <= now) this.apply(this.pending[n++].rec)
    if (n) this.pending.splice(0, n)
  }

  /** Makes everything visible immediately (control API `POST /_sandbox/search-index/flush`). */
  flush(): void {
    for (const p of this.pending) this.apply(p.rec)
    this.pending = []
  }

  pendingCount(): number {
    return this.pending.length
  }

  visibleMap(t: ObjectType): Map<string, Rec> {
    return this.visible.get(t)!
  }

  /** Visible versions sorted by updatedAt; entries superseded by a later version are stale. */
  sortedByModified(t: ObjectType): Rec[] {
    return this.byModified.get(t)!
  }

  isLive(rec: Rec): boolean {
    return this.visible.get(rec.type)!.get(rec.id) === rec
  }

  /** Bulk load for seeding: records must arrive in updatedAt order. */
  load(rec: Rec): void {
    this.apply(rec)
  }

  /** Live flags aligned with `sortedByModified` (count and k-th in O(log n)). */
  flags(t: ObjectType): FlagTree {
    return this.liveFlags.get(t)!
  }

  private apply(rec: Rec): void {
    const t = rec.type
    const vis = this.visible.get(t)!
    const pos = this.positions.get(t)!
    const flags = this.liveFlags.get(t)!
    const prevPos = pos.get(rec.id)
    if (prevPos !== undefined) flags.set(prevPos, 0)
    vis.set(rec.id, rec)
    const arr = this.byModified.get(t)!
    if (arr.length === 0 || arr[arr.length - 1].updatedAt <= rec.updatedAt) {
      arr.push(rec)
      flags.push(rec.archived ? 0 : 1)
      pos.set(rec.id, arr.length - 1)
    } else {
      arr.splice(lowerBound(arr, rec.updatedAt + 1), 0, rec)
      this.rebuild(t, arr)
      return
    }
    // Drop superseded versions once they dominate, so memory stays proportional to records.
    if (arr.length > 2 * vis.size + 1024) this.rebuild(t, arr.filter((r) => vis.get(r.id) === r))
  }

  private rebuild(t: ObjectType, arr: Rec[]): void {
    const vis = this.visible.get(t)!
    const pos = new Map<string, number>()
    const flags = new FlagTree()
    arr.forEach((r, i) => {
      const live = vis.get(r.id) === r
      if (live) pos.set(r.id, i)
      flags.push(live && !r.archived ? 1 : 0)
    })
    this.byModified.set(t, arr)
    this.positions.set(t, pos)
    this.liveFlags.set(t, flags)
  }
}

/** First index whose updatedAt >= ms. */
export function lowerBound(arr: Rec[], ms: number): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (arr[mid].updatedAt < ms) lo = mid + 1
    else hi = mid
  }
  return lo
}
