import type { Sql } from '../../store/db'
import { archiveUnlistedOwners, followOwnerEmails, ownerChanges, upsertOwners, type OwnerWriteCounts } from '../../store/owners'
import { linkArrived } from '../../store/records'
import { addCounts, addRunCounts, emptyCounts, type RunCounts } from '../../store/runs'
import type { CrmAdapter } from '../adapters/types'
import { asSyncWriter } from './apply-page'

/**
 * Owners are few (one page per 100): read them all every run; only changed rows are written.
 * HubSpot lists the active owners and the deactivated ones apart (archived=false / true), and
 * both are read: records stay assigned to a deactivated user ("the user will remain assigned
 * to their records", https://knowledge.hubspot.com/user-management/deactivate-hubspot-users),
 * so a connection made after a user left needs that owner (archived here) to give its records
 * their owner and email. One call more per run while the portal has at most 100 of them.
 */
export async function pullOwners(sql: Sql, tenantId: string, connectionId: string, adapter: CrmAdapter, counts: RunCounts, dryRun: boolean,
  runId?: number): Promise<void> {
  const listed: string[] = []
  for (const archived of [false, true]) {
    let after: string | null = null
    do {
      const page = await adapter.listOwners(after, archived)
      listed.push(...page.records.map((o) => o.remoteId))
      // A dry run counts what the write would do (compared with the stored rows), so its
      // counts read as the real run's do.
      const written = dryRun ? await ownerChanges(sql, connectionId, page.records) : await sql.begin(async (tx) => {
        await asSyncWriter(tx)
        const w = await upsertOwners(tx, tenantId, connectionId, page.records)
        // An owner's new email reaches the records it owns now, not when each next changes in HubSpot.
        await followOwnerEmails(tx, tenantId, w.emailChanged)
        // Records read while their owner was not here yet (a rep added since the last run, or
        // a deactivated user never listed before) get it now.
        await linkArrived(tx, tenantId, connectionId, 'owner', w.createdRemoteIds)
        // The page's counts commit with it (see addRunCounts).
        if (runId !== undefined) await addRunCounts(tx, runId, pageCounts(page.records.length, w))
        return w
      })
      addCounts(counts, pageCounts(page.records.length, written))
      after = page.next
    } while (after)
  }
  // An owner in neither listing is no longer HubSpot's to list: archived here once both are
  // read (a deactivated one is archived by its own listing above).
  const archived = dryRun ? await archiveUnlistedOwners(sql, connectionId, listed, true) : await sql.begin(async (tx) => {
    const n = await archiveUnlistedOwners(tx, connectionId, listed, false)
    if (runId !== undefined && n > 0) await addRunCounts(tx, runId, { ...emptyCounts(), archived: n })
    return n
  })
  addCounts(counts, { ...emptyCounts(), archived })
}

function pageCounts(fetched: number, w: OwnerWriteCounts): RunCounts {
  return { ...emptyCounts(), fetched, created: w.created, updated: w.updated, archived: w.archived, unchanged: fetched - w.created - w.updated - w.archived }
}
