import type { Db } from './db'

// The tenant's live contacts are counted by the database as they are written, one row per
// statement and tenant in private.live_contact_counts (migration 20261202162000); liveLeadCounts
// sums a tenant's rows' counts and their changes (20261203110000). Folding them into one
// keeps those sums short, and keeps both sums as they were. It is a write, so the
// hourly cron does it (pruneHistory), not a page render: a GET only reads.

/** Rows of a tenant's count past which the cron folds them into one. */
export const FOLD_COUNT_ROWS = 100

/**
 * Folds the rows of each tenant with more than `minRows` (at most `limit` tenants) into one;
 * the number of tenants folded. Each tenant in its own statement, so its own short
 * transaction on the pool: the rows are locked for one delete, not for the whole pass.
 */
export async function foldLiveContactCounts(db: Db, opts: { minRows?: number; limit?: number } = {}): Promise<number> {
  const tenants = await db`
    select tenant_id from private.live_contact_counts group by tenant_id having count(*) > ${opts.minRows ?? FOLD_COUNT_ROWS}
     limit ${opts.limit ?? 1000}`
  for (const { tenant_id: tenantId } of tenants) {
    // A concurrent fold waits for this one's deletes and then finds those rows gone: nothing
    // is summed twice, and a reader meanwhile sees the rows as they were. A writer's row
    // committed meanwhile is not among those deleted, and is summed beside the new one.
    await db`with gone as (delete from private.live_contact_counts where tenant_id = ${tenantId} returning n, changes)
             insert into private.live_contact_counts (tenant_id, n, changes)
               select ${tenantId}, sum(n), sum(changes) from gone having count(*) > 0`
  }
  return tenants.length
}
