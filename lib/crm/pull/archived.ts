import type { CrmAdapter } from '../adapters/types'
import { applyArchived, type PageContext } from './apply-page'

/**
 * Deletions: search never returns archived records, so the archived listing is read in
 * full and every still-live link to an archived record is archived (with its CRM-born
 * local record). Already-archived links are skipped in SQL, so this writes nothing when
 * nothing new was deleted.
 */
export async function pullArchived(ctx: PageContext, adapter: CrmAdapter, onPage: () => Promise<void>): Promise<void> {
  let after: string | null = null
  do {
    const page = await adapter.listArchivedPage(ctx.type, after)
    await applyArchived(ctx, page.records.map((r) => r.remoteId), async () => {})
    await onPage()
    after = page.next
  } while (after)
}
