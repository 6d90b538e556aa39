import { clearRetries, loadRetries } from '../../store/retries'
import type { CrmAdapter } from '../adapters/types'
import { applyPage, type PageContext } from './apply-page'

/** Records read again per run: ten batch reads at most, whatever the backlog (the rest wait their turn). */
const RETRY_LIMIT = 1_000

/**
 * Records an earlier pull could not write are read again by id (batch reads, 100 ids a
 * call) and applied like any page, before the incremental search: the watermark has moved
 * past them, so otherwise they would wait for their next edit in the CRM. Those that go
 * in, or are gone from the CRM (the archived listing handles those), leave the list; those
 * that fail again stay, read again with backoff (see recordFailedPulls). Only those due are
 * read. Returns what was read (id → modified at), so
 * the search that follows does not apply (and count) the same state twice.
 */
export async function pullRetries(ctx: PageContext, adapter: CrmAdapter, onPage: () => Promise<void>): Promise<Map<string, Date>> {
  if (ctx.dryRun) return new Map()
  const ids = await loadRetries(ctx.sql, ctx.connectionId, ctx.type, RETRY_LIMIT)
  if (ids.length === 0) return new Map()
  // https://developers.hubspot.com/docs/api/crm/contacts (batch read, through the adapter)
  const records = await adapter.readBatch(ctx.type, ids)
  await adapter.loadAssociations(ctx.type, records)
  const errorsBefore = ctx.errors.length
  await applyPage(ctx, records, async (tx) => {
    const failedAgain = new Set(ctx.errors.slice(errorsBefore).map((e) => e.remoteId))
    await clearRetries(tx, ctx.connectionId, ctx.type, ids.filter((id) => !failedAgain.has(id)))
  })
  await onPage()
  return new Map(records.map((r) => [r.remoteId, r.updatedAt]))
}
