import { saveCursor, type Checkpoint, type Cursor } from '../../store/cursors'
import type { CrmAdapter } from '../adapters/types'
import type { RemoteRecord } from '../types'
import { applyPage, type PageContext } from './apply-page'
import { readWith } from './full'

type Window = NonNullable<Checkpoint['window']>

/** Records per write in an incremental run: five search pages, one association read. */
const SEARCH_BATCH = 1_000

/**
 * Records modified since the watermark, oldest first, through the CRM's search. Search
 * stops at `maxSearchResults` (HubSpot: 10,000) per query, so instead of paging past it
 * the window moves forward to the last modification time seen and starts a new query.
 * The new watermark is the newest modification actually seen, never the clock: a record
 * changed while we ran, or not yet indexed, is found by the next run's lookback.
 */
export async function pullIncremental(ctx: PageContext, adapter: CrmAdapter, cursor: Cursor, lookbackMs: number, onPage: () => Promise<void>,
  alreadyRead: ReadonlyMap<string, Date> = new Map()): Promise<void> {
  const watermark = cursor.checkpoint.watermark
  let window: Window = cursor.checkpoint.window ?? {
    since: new Date(new Date(watermark ?? 0).getTime() - lookbackMs).toISOString(),
    after: null,
    maxSeen: watermark,
  }
  const pageSize = 200
  // Search pages (200) are written in batches of up to SEARCH_BATCH, so associations are
  // read with one call per batch (the v4 batch read takes 1,000 ids) and the database
  // sees fewer, larger writes.
  let batch: RemoteRecord[] = []
  for (;;) {
    const tieBreak = window.tieBreak ? { at: new Date(window.tieBreak.at), afterId: window.tieBreak.afterId } : undefined
    const page = await adapter.searchModifiedSince(ctx.type, new Date(window.since), window.after, tieBreak)
    // A state this run already read by id (see pullRetries) counts toward the window but is
    // not applied twice; a newer one (changed since) is.
    batch.push(...page.records.filter((r) => {
      const read = alreadyRead.get(r.remoteId)
      return !read || r.updatedAt > read
    }))
    const maxSeen = latest(window.maxSeen, page.records)
    const next = nextWindow(window, page.records, page.next, pageSize, adapter.maxSearchResults, maxSeen)
    if (next && batch.length < SEARCH_BATCH) {
      window = next
      continue
    }
    const checkpoint: Checkpoint = { ...(next ? { watermark, window: next } : { watermark: maxSeen ?? watermark }), ...readWith(ctx) }
    await adapter.loadAssociations(ctx.type, batch)
    await applyPage(ctx, batch, (tx) =>
      saveCursor(tx, ctx.tenantId, ctx.connectionId, ctx.type, { checkpoint, initialDone: true }))
    batch = []
    await onPage()
    if (!next) return
    window = next
  }
}

function latest(current: string | undefined, records: RemoteRecord[]): string | undefined {
  let max = current ? new Date(current).getTime() : -Infinity
  for (const r of records) max = Math.max(max, r.updatedAt.getTime())
  return Number.isFinite(max) ? new Date(max).toISOString() : current
}

/** Where the next page comes from, or null when the window is exhausted. */
export function nextWindow(window: Window, records: RemoteRecord[], next: string | null, pageSize: number, cap: number, maxSeen: string | undefined): Window | null {
  const last = records.at(-1)
  if (window.tieBreak) {
    // Paging records that share one timestamp, by id.
    if (next === null) {
      return { since: new Date(new Date(window.tieBreak.at).getTime() + 1).toISOString(), after: null, maxSeen }
    }
    if (Number(next) + pageSize > cap && last) return { ...window, after: null, maxSeen, tieBreak: { at: window.tieBreak.at, afterId: last.remoteId } }
    return { ...window, after: next, maxSeen }
  }
  if (next === null) return null
  if (Number(next) + pageSize <= cap || !last) return { ...window, after: next, maxSeen }
  // The cap is near: restart the query from the last modification time seen.
  const lastAt = last.updatedAt.toISOString()
  if (last.updatedAt.getTime() > new Date(window.since).getTime()) return { since: lastAt, after: null, maxSeen }
  // A whole window of records share one timestamp: walk them by id instead.
  return { since: window.since, after: null, maxSeen, tieBreak: { at: lastAt, afterId: last.remoteId } }
}
