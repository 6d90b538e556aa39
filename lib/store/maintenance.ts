import type { ObjectType } from '../crm/types'
import { TABLE } from './columns'
import type { Db } from './db'

/**
 * Refreshes planner statistics for the tables a backfill is filling. Embedded PGlite has
 * no autovacuum, so without this the planner keeps its "empty table" estimates while a
 * backfill grows the tables by thousands of rows a second, and lookups by array of ids
 * degrade to scans (measured: ~50 ms instead of ~1 ms per 500-id lookup at 10k rows).
 * On a server it merely runs ahead of autovacuum.
 */
export async function refreshStatistics(db: Db, type: ObjectType): Promise<void> {
  // Only the columns those lookups filter on: statistics for every column of both tables
  // cost more than the writes they were taken between (~65 ms a round at 20k rows).
  await db.unsafe(`analyze public.${TABLE[type]} (id, tenant_id${type === 'contact' ? ', email, phone' : ''}),
    public.crm_links (connection_id, object_type, remote_id, local_id)`)
}
