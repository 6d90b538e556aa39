import { saveCursor, type Cursor } from '../../store/cursors'
import type { CrmAdapter } from '../adapters/types'
import { applyPage, type PageContext } from './apply-page'

/**
 * The first sync (or a forced one): every live record, page by page, each page committed
 * with the cursor of the next. The next page is fetched while this one is written, so the
 * run goes at the pace of the API budget rather than API + database in turn.
 */
export async function pullFull(ctx: PageContext, adapter: CrmAdapter, cursor: Cursor, onPage: () => Promise<void>): Promise<void> {
  const startedAt = cursor.checkpoint.full?.startedAt ?? new Date().toISOString()
  let pending = adapter.listPage(ctx.type, cursor.checkpoint.full?.after ?? null)
  for (;;) {
    const page = await pending
    if (page.next) {
      pending = adapter.listPage(ctx.type, page.next)
      pending.catch(() => {}) // surfaced by the await above on the next turn
    }
    const done = page.next === null
    await applyPage(ctx, page.records, (tx) =>
      saveCursor(tx, ctx.tenantId, ctx.connectionId, ctx.type, done
        // Anything modified after the listing began is picked up by the incremental
        // search, which starts from here minus the lookback.
        ? { checkpoint: { watermark: startedAt }, initialDone: true }
        : { checkpoint: { full: { after: page.next, startedAt } }, initialDone: cursor.initialDone }),
    )
    await onPage()
    if (done) return
  }
}
