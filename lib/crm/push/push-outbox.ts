import { tableColumns } from '../../store/app-schema'
import { deleteLinks, linkHolders, loadLinksByLocal, upsertLinks } from '../../store/links'
import { rememberMergedAway } from '../../store/merges'
import { ackEntries, enqueuePush, failColumnOnly, failEntries, loadPending } from '../../store/outbox'
import { loadLocalRecords, markOrigin } from '../../store/records'
import { openConflictFields } from '../../store/open-conflicts'
import { tenantFieldOptions } from '../../store/field-options'
import { addRunCounts, emptyCounts } from '../../store/runs'
import type { Db } from '../../store/db'
import { dismissConflictsOf, refreshConflictLocals } from '../../store/conflicts'
import type { CrmAdapter } from '../adapters/types'
import { asSyncWriter, type PageContext } from '../pull/apply-page'
import { pushAssociations } from './associations'
import { mergedAwayOf } from './merged-away'
import { coalesce } from './coalesce'
import { widenUnknownColumns } from './unknown-columns'
import { planPushWithOwners } from './owner-left'
import { claimFound, failChange, sendInBatches, settle, type Found, type PushOutcome } from './settle'

/**
 * Sends the outbox to the CRM: entries coalesced per record, creates as upserts keyed by
 * our local id (a crash after the CRM's ack cannot duplicate: the retry finds the record
 * by that key), updates by remote id with only the fields that differ from what the CRM
 * holds, 100 per call. An entry leaves the outbox only in the commit that records what
 * the CRM acknowledged, one commit per call; a rejected record stays queued with its error
 * and a growing delay, and the rest go through. A dry run plans the same and only counts
 * what would go.
 */
export async function pushOutbox(ctx: PageContext, adapter: CrmAdapter, onBatch: () => Promise<void>,
  stopRequested: () => boolean = () => false): Promise<void> {
  const { sql, connectionId, type, tenantId } = ctx
  const seen = new Set<number>()
  // Entries already looked at again this run (linked to the CRM's record they found): one
  // that comes back again made no progress (its link did not take), and fails rather than
  // being sent the same way round after round.
  const lookedAgain = new Set<number>()
  // The portal's options, which a contact's lifecycle stage and lead status must be one of.
  const options = type === 'contact' ? await tenantFieldOptions(sql, tenantId, 'contact') : undefined
  // With companies off, a record's company is not sent (see PageContext.companies): a change
  // to it waits in the outbox (loadPending leaves it there), and goes once companies are on.
  const holdCompany = !ctx.companies && type !== 'company'
  // Each call to the CRM commits what it did (its acks, links and associations, and its
  // counts) before the next call goes; a stop is honoured between rounds, and what is left
  // waits in the outbox for the next run. What of ctx.counts' pushed and failed is
  // committed: a commit adds the rest to the run's row in its own transaction, and a call
  // that fails before its commit takes back what it counted (the CRM's acks it could not
  // record: the next run sends those again and counts them then).
  const committed = { pushed: ctx.counts.pushed, failed: ctx.counts.failed }
  const commitCounts = async (tx: Db) => {
    if (ctx.runId === undefined) return
    await addRunCounts(tx, ctx.runId, { ...emptyCounts(), pushed: ctx.counts.pushed - committed.pushed, failed: ctx.counts.failed - committed.failed })
  }
  const committedCounts = () => Object.assign(committed, { pushed: ctx.counts.pushed, failed: ctx.counts.failed })
  let afterId = 0
  for (let round = 0; round < 1_000 && !stopRequested(); round++) {
    const entries = (await loadPending(sql, connectionId, type, adapter.maxBatchSize * 5, afterId)).filter((e) => !seen.has(e.id))
    if (entries.length === 0) return
    entries.forEach((e) => seen.add(e.id))
    const coalesced = coalesce(entries)
    const ids = coalesced.map((c) => c.localId)
    // Four reads of their own, asked at once (on the pool's connections, or pipelined on one).
    const [columnsNow, locals, links, conflicted] = await Promise.all([
      tableColumns(sql, type),
      loadLocalRecords(sql, tenantId, connectionId, type, ids),
      loadLinksByLocal(sql, connectionId, type, ids),
      openConflictFields(sql, connectionId, type, ids),
    ])
    const changes = widenUnknownColumns(type, coalesced, columnsNow)
    const plan = planPushWithOwners({
      type, changes, links, locals, conflicted,
      normalize: { defaultCountry: ctx.defaultCountry },
      options,
    })
    if (ctx.dryRun) {
      // What would be sent, counted as the sending below counts it; nothing is sent or
      // acknowledged, so the next page starts after these entries.
      ctx.counts.pushed += plan.deletes.length + plan.creates.length + plan.updates.length
      ctx.counts.failed += plan.fails.length
      afterId = Math.max(...entries.map((e) => e.id))
      continue
    }
    const again: Found[] = []
    // One call's results, committed with its counts. The links were read before the CRM was
    // called: a person may have decided a conflict of one of these records since, setting the
    // base of the fields decided (decideConflict), or a webhook's page moved them. Each link
    // takes only the entries this call wrote (the fields sent, the associations set), merged
    // over what it holds now, not the rest as read then.
    const baseOf = new Map(plan.updates.map((u) => [u.change.localId, u.base]))
    const columnsOf = new Map(changes.map((c) => [c.localId, c.columns]))
    const record = async (out: PushOutcome, heldEdits: typeof plan.heldEdits = []) => {
      for (const f of out.again) {
        if (!f.change.entryIds.some((id) => lookedAgain.has(id))) {
          again.push(f)
          continue
        }
        out.links.delete(f.change.localId)
        failChange(out, f.change, `HubSpot answered again that it already has this record, as ${type} ${f.remoteId}, and linking the two did not `
          + 'take (another record of the app may have been linked to it meanwhile): the next sync tries again', ctx.counts, ctx.errors)
      }
      // The company part of what went out (a changed company, or a new record's) waits on, as its own entry.
      const companyLeft = holdCompany
        ? [...out.links.values()].filter((l) => columnsOf.get(l.localId)?.has('company_id') || (l.matchReason === 'pushed' && locals.get(l.localId)?.companyId))
          .map((l) => ({ localId: l.localId, columns: ['company_id'] }))
        : []
      const written = [...out.links.values()].map((l) => ({ ...l, fieldHashes: changedEntries(l.fieldHashes, baseOf.get(l.localId) ?? {}) }))
      // A record sent without its owner (owner-left.ts): once the rest is acknowledged, its
      // newest entry stays, for the owner alone, failed with the reason; the others go.
      const ownerFails = plan.ownerLeft.flatMap((o) => {
        const id = o.change.entryIds[o.change.entryIds.length - 1]
        return out.acks.includes(id) ? [{ id, error: o.reason, localId: o.change.localId }] : []
      })
      const acks = out.acks.filter((id) => !ownerFails.some((f) => f.id === id))
      // Counted failed (the run is partial, the reason listed): part of the app's change did not go.
      for (const f of ownerFails) {
        ctx.counts.failed++
        ctx.errors.push({ localId: f.localId, message: f.error })
      }
      await sql.begin(async (tx) => {
        // The sync writer's settings are answered before anything else is sent, so they are in
        // force for every write below whatever the store functions do before their statements
        // (markOrigin's stamp is the sync's own write: the outbox trigger is not to weigh it).
        // Pipelined with the rest they held only while each function issued its statement the
        // moment it was called: one await added inside one of them would have sent it after
        // the others, silently. One round trip per call of up to 100 records.
        await asSyncWriter(tx)
        if (heldEdits.length) {
          // Conflicts before links, the order a decision takes them in: a statement each, all
          // answered before the links' upsert goes.
          await refreshConflictLocals(tx, connectionId, type, heldEdits)
        }
        // The rest go at once: postgres.js pipelines the statements a transaction issues
        // before an answer, so they cost one round trip, not one each. The first to fail
        // fails the rest, and the transaction.
        await Promise.all([
          upsertLinks(tx, tenantId, connectionId, type, written, { merge: true }),
          enqueuePush(tx, tenantId, connectionId, type, companyLeft),
          type === 'contact' ? markOrigin(tx, tenantId, [...out.links.values()].filter((l) => l.matchReason === 'pushed').map((l) => l.localId)) : undefined,
          ackEntries(tx, acks),
          failEntries(tx, out.fails),
          failColumnOnly(tx, 'owner_id', ownerFails.map(({ id, error }) => ({ id, error }))),
          commitCounts(tx),
        ])
      })
      committedCounts()
    }
    const outcome = (acks: number[] = []): PushOutcome => ({ acks, fails: [], links: new Map(), found: [], again: [] })
    try {
      // What needs no call first: entries with nothing to send, and the app's edits to fields
      // held in a conflict, which become that conflict's app side (again on a later run if
      // this record's call fails: the same values, the same result).
      // And the records holding a value that cannot be sent as it is, refused with the reason.
      if (plan.acks.length || plan.heldEdits.length || plan.fails.length) {
        const out = outcome([...plan.acks])
        for (const f of plan.fails) failChange(out, f.change, f.error, ctx.counts, ctx.errors)
        await record(out, plan.heldEdits)
      }

      for (let i = 0; i < plan.deletes.length; i += adapter.maxBatchSize) {
        const batch = plan.deletes.slice(i, i + adapter.maxBatchSize)
        const ids = batch.map((d) => d.remoteId)
        // A merged-away id is not archived: that would archive the survivor (see merged-away.ts).
        // The local delete stands, the link goes, and the id is never imported again.
        const merged = mergedAwayOf(ids, await adapter.readBatch(type, ids))
        const archive = ids.filter((id) => !merged.has(id))
        if (archive.length) await adapter.archiveBatch(type, archive)
        ctx.counts.pushed += archive.length
        await sql.begin(async (tx) => {
          // The record is gone from both sides now: its conflict, if one waits, goes with it.
          // Conflicts before links, the order a decision takes them in. Sent at once, in this
          // order, as record()'s statements are.
          const [archived, deleted] = partition(batch.map((d) => d.change.localId), (id) => locals.has(id))
          await Promise.all([
            dismissConflictsOf(tx, connectionId, type, deleted, 'local_deleted'),
            dismissConflictsOf(tx, connectionId, type, archived, 'local_archived'),
            deleteLinks(tx, connectionId, type, batch.map((d) => d.remoteId)),
            rememberMergedAway(tx, tenantId, connectionId, type, [...merged].map(([from, to]) => ({ from, to }))),
            ackEntries(tx, batch.flatMap((d) => d.change.entryIds)),
            commitCounts(tx),
          ])
        })
        committedCounts()
        await onBatch()
      }

      if (plan.creates.length) await adapter.ensureSchema()
      await sendInBatches(plan.creates, adapter.maxBatchSize,
        (batch) => adapter.upsertBatch(type, batch.map((b) => ({ localId: b.change.localId, fields: b.fields }))),
        async (batch, results) => {
          const out = outcome()
          const done = settle(type, 'created', batch.map((b) => ({ ...b, base: {} })), results, out, ctx.counts, ctx.errors)
          claimFound(type, out, await linkHolders(sql, connectionId, type, out.found.map((f) => f.remoteId)), ctx.counts, ctx.errors)
          await pushAssociations(ctx, adapter, out.links, done.map((d) => ({ localId: d.change.localId, created: true })))
          await record(out)
          await onBatch()
        })

      // An updated record whose associations changed too has them sent before its call's commit.
      const reassociate = (out: PushOutcome, updates: typeof plan.updates) => pushAssociations(ctx, adapter, out.links,
        updates.filter((u) => u.associations && out.links.get(u.change.localId)?.direction === 'push').map((u) => ({
          localId: u.change.localId, company: u.change.columns.has('company_id'), contacts: u.change.columns.has('contacts'),
        })))
      const fieldUpdates = plan.updates.filter((u) => Object.keys(u.fields).length > 0)
      await sendInBatches(fieldUpdates, adapter.maxBatchSize,
        (batch) => adapter.updateBatch(type, batch.map((b) => ({ localId: b.change.localId, remoteId: b.remoteId, fields: b.fields }))),
        async (batch, results) => {
          const out = outcome()
          settle(type, 'updated', batch, results, out, ctx.counts, ctx.errors)
          await reassociate(out, batch)
          await record(out)
          await onBatch()
        })
      // Only the association changed: nothing to update, the link carries the new hashes.
      const associationOnly = plan.updates.filter((x) => Object.keys(x.fields).length === 0)
      if (associationOnly.length) {
        const out = outcome()
        for (const u of associationOnly) {
          out.links.set(u.change.localId, { localId: u.change.localId, remoteId: u.remoteId, remoteUpdatedAt: u.remoteUpdatedAt, syncedHash: '',
            fieldHashes: { ...u.base }, origin: 'crm', matchReason: 'link', direction: 'push' })
          out.acks.push(...u.change.entryIds)
          ctx.counts.pushed++
        }
        await reassociate(out, associationOnly)
        await record(out)
      }
    } catch (e) {
      Object.assign(ctx.counts, committed)
      throw e
    }
    for (const id of again.flatMap((f) => f.change.entryIds)) {
      lookedAgain.add(id)
      seen.delete(id)
    }
  }
}

/** The entries of `entries` that differ from `base` (what the link held when read). */
function changedEntries(entries: Record<string, string>, base: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k in entries) if (entries[k] !== base[k]) out[k] = entries[k]
  return out
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = []
  const no: T[] = []
  for (const item of items) (test(item) ? yes : no).push(item)
  return [yes, no]
}
