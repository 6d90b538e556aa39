import type { Sql } from '../../store/db'
import { archiveUnlistedOwners, followOwnerEmails, ownerChanges, upsertOwners } from '../../store/owners'
import { linkArrived } from '../../store/records'
import { addCounts, addRunCounts, emptyCounts, type RunCounts } from '../../store/runs'
import type { CrmAdapter } from '../adapters/types'
import { asSyncWriter } from './apply-page'

/** Owners are few (one page per 100): read them all every run; only changed rows are written. */
export async function pullOwners(sql: Sql, tenantId: string, connectionId: string, adapter: CrmAdapter, counts: RunCounts, dryRun: boolean,
  runId?: number): Promise<void> {
  let after: string | null = null
  const listed: string[] = []
  do {
    const page = await adapter.listOwners(after)
    listed.push(...page.records.map((o) => o.remoteId))
    // A dry run counts what the write would do (compared with the stored rows), so its
    // created/updated/unchanged read as the real run's do.
    const { created, updated } = dryRun ? await ownerChanges(sql, connectionId, page.records) : await sql.begin(async (tx) => {
      await asSyncWriter(tx)
      const written = await upsertOwners(tx, tenantId, connectionId, page.records)
      // An owner's new email reaches the records it owns now, not when each next changes in HubSpot.
      await followOwnerEmails(tx, tenantId, written.emailChanged)
      // Records read while their owner was not here yet (a rep added since the last run) get it now.
      await linkArrived(tx, tenantId, connectionId, 'owner', written.createdRemoteIds)
      // The page's counts commit with it (see addRunCounts).
      if (runId !== undefined) await addRunCounts(tx, runId, pageCounts(page.records.length, written))
      return written
    })
    addCounts(counts, pageCounts(page.records.length, { created, updated }))
    after = page.next
  } while (after)
  // Owners deactivated in HubSpot are no longer listed: archived here once the whole list is read.
  const archived = dryRun ? await archiveUnlistedOwners(sql, connectionId, listed, true) : await sql.begin(async (tx) => {
    const n = await archiveUnlistedOwners(tx, connectionId, listed, false)
    if (runId !== undefined && n > 0) await addRunCounts(tx, runId, { ...emptyCounts(), archived: n })
    return n
  })
  addCounts(counts, { ...emptyCounts(), archived })
}

function pageCounts(fetched: number, w: { created: number; updated: number }): RunCounts {
  return { ...emptyCounts(), fetched, created: w.created, updated: w.updated, unchanged: fetched - w.created - w.updated }
}
