import { saveCursor, type Checkpoint, type Cursor } from '../../store/cursors'
import { refreshStatistics } from '../../store/maintenance'
import type { CrmAdapter, Page } from '../adapters/types'
import type { RemoteRecord } from '../types'
import { applyNormalizedPage, normalizeRecords, type PageContext } from './apply-page'
import { prefetch } from './prefetch'

/** The checkpoint's note of the extra properties the records were read with (none: no note, as before they existed). */
export function readWith(ctx: Pick<PageContext, 'extraProperties'>): Pick<Checkpoint, 'extra'> {
  return ctx.extraProperties.length ? { extra: [...ctx.extraProperties] } : {}
}

/** Whether the records were read with the extra properties the settings now name (order aside). */
export function readWithChanged(checkpoint: Checkpoint, extraProperties: readonly string[]): boolean {
  const before = checkpoint.extra ?? []
  return before.length !== extraProperties.length || extraProperties.some((p) => !before.includes(p))
}

/** Records written per transaction: several API pages, so the database does fewer, larger writes. */
export const WRITE_BATCH = 500
/** API pages fetched ahead of the writer (bounded memory: ~1,000 records). */
const READ_AHEAD = 10

// Pages come out normalized: the generator runs ahead of the writer (see prefetch), so
// normalizing here happens while the previous batch's statements are in the database.
async function* listPages(ctx: PageContext, adapter: CrmAdapter, after: string | null): AsyncGenerator<Page<RemoteRecord>> {
  let next = after
  do {
    const page = await adapter.listPage(ctx.type, next)
    yield { ...page, records: normalizeRecords(ctx, page.records) }
    next = page.next
  } while (next)
}

/**
 * The first sync (or a forced one): every live record, page by page. Pages are written in
 * batches of about WRITE_BATCH records, each batch committed with the cursor of the next
 * page, so a run killed at any point resumes after the last committed batch. Pages are
 * fetched ahead while batches are written, so the run goes at the pace of the slower of
 * the API budget and the database rather than both in turn.
 *
 * Two batches are written at once, each in its own transaction, so the database works on
 * one while the engine prepares the next. They still commit in order: a batch saves its
 * cursor only after the batch before it committed (and rolls back if that one failed), so
 * the cursor never passes a batch that is not in the database. A batch never claims a local
 * record that the batch before it is taking (see InFlight), and one that shares a record
 * or a merge with the batch before it waits for it, so the outcome is the sequential one.
 */
export async function pullFull(ctx: PageContext, adapter: CrmAdapter, cursor: Cursor, onPage: () => Promise<void>): Promise<void> {
  const startedAt = cursor.checkpoint.full?.startedAt ?? new Date().toISOString()
  const claimed = new Set<string>()
  let previous: { done: Promise<void>; remoteIds: Set<string> } | null = null
  let batch: RemoteRecord[] = []
  let batches = 0
  // Whatever fails (a page, a batch, the lease), the batch still in flight settles first:
  // nothing of this run may still be writing once it has returned and given up the lease.
  try {
    for await (const page of prefetch(listPages(ctx, adapter, cursor.checkpoint.full?.after ?? null), READ_AHEAD)) {
      const done = page.next === null
      batch.push(...page.records)
      if (!done && batch.length < WRITE_BATCH) continue
      const records = batch
      batch = []
      const before = previous
      if (before && (ctx.dryRun || records.some((r) => before.remoteIds.has(r.remoteId) || r.mergedRemoteIds?.length))) await before.done
      const cursorAfter: Parameters<typeof saveCursor>[4] = done
        // Anything modified after the listing began is picked up by the incremental
        // search, which starts from here minus the lookback.
        ? { checkpoint: { watermark: startedAt, ...readWith(ctx) }, initialDone: true }
        : { checkpoint: { full: { after: page.next, startedAt }, ...readWith(ctx) }, initialDone: cursor.initialDone }
      const mine: string[] = []
      let planned!: () => void
      const isPlanned = new Promise<void>((resolve) => { planned = resolve })
      const current = applyNormalizedPage(ctx, records, async (tx) => {
        await before?.done
        await saveCursor(tx, ctx.tenantId, ctx.connectionId, ctx.type, cursorAfter)
      }, {
        claimed,
        onPlanned: (ids) => {
          for (const id of ids) { claimed.add(id); mine.push(id) }
          planned()
        },
      }).finally(() => {
        for (const id of mine) claimed.delete(id)
        planned()
      })
      current.catch(() => {}) // awaited below, or by the batch after it
      previous = { done: current, remoteIds: new Set(records.map((r) => r.remoteId)) }
      // The next batch may start once this one has made its claims and the one before it
      // is in: at most two in flight.
      await isPlanned
      await before?.done
      // Statistics after batches 1, 2, 4, …, 32: as often as the tables double, until they
      // hold enough rows (16,000) for the sample to describe them; from there the planner
      // scales its estimates by the tables' actual size.
      if (!ctx.dryRun && ++batches <= 32 && (batches & (batches - 1)) === 0) await refreshStatistics(ctx.sql, ctx.type)
      await onPage()
    }
    await previous?.done
  } catch (e) {
    await previous?.done.catch(() => {})
    throw e
  }
}
