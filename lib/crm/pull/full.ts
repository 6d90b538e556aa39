import { saveCursor, type Cursor } from '../../store/cursors'
import { refreshStatistics } from '../../store/maintenance'
import type { CrmAdapter } from '../adapters/types'
import type { RemoteRecord } from '../types'
import { applyPage, type PageContext } from './apply-page'

/** Records written per transaction: several API pages, so the database does fewer, larger writes. */
export const WRITE_BATCH = 500

/**
 * The first sync (or a forced one): every live record, page by page. Pages are written in
 * batches of about WRITE_BATCH records, each batch committed with the cursor of the next
 * page, so a run killed at any point resumes after the last committed batch. The next
 * page is fetched while this one is written, so the run goes at the pace of the API
 * budget rather than API + database in turn.
 */
export async function pullFull(ctx: PageContext, adapter: CrmAdapter, cursor: Cursor, onPage: () => Promise<void>): Promise<void> {
  const startedAt = cursor.checkpoint.full?.startedAt ?? new Date().toISOString()
  let pending = adapter.listPage(ctx.type, cursor.checkpoint.full?.after ?? null)
  let batch: RemoteRecord[] = []
  let batches = 0
  for (;;) {
    const page = await pending
    if (page.next) {
      pending = adapter.listPage(ctx.type, page.next)
      pending.catch(() => {}) // surfaced by the await above on the next turn
    }
    const done = page.next === null
    batch.push(...page.records)
    if (done || batch.length >= WRITE_BATCH) {
      await applyPage(ctx, batch, (tx) =>
        saveCursor(tx, ctx.tenantId, ctx.connectionId, ctx.type, done
          // Anything modified after the listing began is picked up by the incremental
          // search, which starts from here minus the lookback.
          ? { checkpoint: { watermark: startedAt }, initialDone: true }
          : { checkpoint: { full: { after: page.next, startedAt } }, initialDone: cursor.initialDone }),
      )
      batch = []
      // Statistics after batches 1, 2, 4, 8, …: as often as the tables double.
      if (!ctx.dryRun && (++batches & (batches - 1)) === 0) await refreshStatistics(ctx.sql, ctx.type)
      await onPage()
    }
    if (done) return
  }
}
