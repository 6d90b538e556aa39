import type { Sql } from '../../store/db'
import { upsertOwners } from '../../store/owners'
import type { RunCounts } from '../../store/runs'
import type { CrmAdapter } from '../adapters/types'

/** Owners are few (one page per 100): read them all every run; only changed rows are written. */
export async function pullOwners(sql: Sql, tenantId: string, connectionId: string, adapter: CrmAdapter, counts: RunCounts, dryRun: boolean): Promise<void> {
  let after: string | null = null
  do {
    const page = await adapter.listOwners(after)
    counts.fetched += page.records.length
    if (!dryRun) {
      const { created, updated } = await upsertOwners(sql, tenantId, connectionId, page.records)
      counts.created += created
      counts.updated += updated
      counts.unchanged += page.records.length - created - updated
    }
    after = page.next
  } while (after)
}
