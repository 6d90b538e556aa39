import { associationCheckDue, linksAfter, saveAssociationCheck } from '../../store/association-checks'
import type { CrmAdapter } from '../adapters/types'
import { associationProbes } from '../types'
import { applyPage, type PageContext } from './apply-page'
import { associationsMoved } from './plan'

/** Links whose associations one step reads: one v4 batch read per associated type. */
const CHECK_BATCH = 1_000
/** Steps per run: 100,000 records (100 calls per associated type); a larger portal's check goes on next run. */
const STEPS_PER_RUN = 100

/**
 * HubSpot leaves a record's last-modified time alone when only its associations change, so
 * the incremental search cannot see a contact moved to another company or a contact added
 * to a deal. Webhooks bring those when they are on; this is the net under them, for every
 * connection: every `everyHours`, the associations of each linked contact or deal are read
 * (1,000 records a call per associated type) and compared with what its link remembers,
 * and the records that moved are read again by id and applied like any page. A run checks
 * at most 100,000 records of a type; a larger portal's check, or one cut short, resumes
 * where it stopped (sync_cursors.associations_after) with the next run. 100,000 contacts
 * cost 100 calls, plus two per 100 records that moved.
 */
export async function checkAssociations(ctx: PageContext, adapter: CrmAdapter, everyHours: number, onPage: () => Promise<void>,
  limits: { batch: number; steps: number } = { batch: CHECK_BATCH, steps: STEPS_PER_RUN }): Promise<void> {
  if (ctx.dryRun || ctx.type === 'company') return
  const due = await associationCheckDue(ctx.sql, ctx.connectionId, ctx.type, everyHours)
  if (!due) return
  let after = due.after
  for (let step = 0; step < limits.steps; step++) {
    const links = await linksAfter(ctx.sql, ctx.connectionId, ctx.type, after, limits.batch)
    if (links.length === 0) {
      await saveAssociationCheck(ctx.sql, ctx.connectionId, ctx.type, null)
      return
    }
    const probes = associationProbes(links.map((l) => l.remoteId))
    // https://developers.hubspot.com/docs/api/crm/associations (v4 batch read, through the adapter)
    await adapter.loadAssociations(ctx.type, probes)
    const moved = probes.filter((p, i) => associationsMoved(p, links[i].fieldHashes)).map((p) => p.remoteId)
    after = links.at(-1)!.remoteId
    // A short step is the last: the check is done when it commits.
    const reached = links.length < limits.batch ? null : after
    if (moved.length === 0) {
      await saveAssociationCheck(ctx.sql, ctx.connectionId, ctx.type, reached)
    } else {
      // https://developers.hubspot.com/docs/api/crm/contacts (batch read, through the adapter, 100 ids a call)
      const records = await adapter.readBatch(ctx.type, moved)
      await adapter.loadAssociations(ctx.type, records)
      await applyPage(ctx, records, (tx) => saveAssociationCheck(tx, ctx.connectionId, ctx.type, reached))
    }
    await onPage()
    if (reached === null) return
  }
}
