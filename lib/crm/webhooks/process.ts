import { randomUUID } from 'node:crypto'
import { getConnection, type Connection } from '../../store/connections'
import type { Sql } from '../../store/db'
import { acquireLease, releaseLease, renewLease } from '../../store/lease'
import { addRunCounts, closeInterruptedRuns, emptyCounts, startRun, updateRun, updateRunProgress, type RunCounts } from '../../store/runs'
import { expandDeliveries, hasPendingEvents, loadPendingEvents, markEventsFailed, markEventsProcessed } from '../../store/webhook-events'
import type { CrmAdapter } from '../adapters/types'
import { isCrmError } from '../errors'
import { namedError, schemaFailureNow } from '../named-error'
import { applyArchived, applyPage, pageContext, type PageContext } from '../pull/apply-page'
import { followRecreatedColumns } from '../recreated-columns'
import { settleKeptCompanies } from '../pull/companies-on'
import { parseSettings, type ConnectionSettings } from '../settings'
import { adapterForConnection } from '../sync-service'
import { stopReason } from '../time-limit'
import type { ObjectType, RemoteRecord } from '../types'
import { toInboxEvents } from './hubspot/events'
import { STOPPED } from '../stopped'
import { planWebhookWork, type ObjectWork } from './plan'

// Applies a connection's pending webhook events: coalesced per object, current state read
// back in batches of 100, written through the pull's own page pipeline (normalize, match,
// hash, conflicts, echo suppression; stale states skipped), each page's events marked
// processed, and its counts added to the run's row, in the page's transaction. Called
// after a delivery is answered and by the cron.

const READ_BATCH = 100 // batch/read takes at most 100 ids
const EVENTS_PER_PASS = 5_000
const LEASE_TTL_MS = 60_000
const EXPAND_BATCH = 100 // deliveries (≤ 100 events each) per transaction

export interface WebhookProcessSummary {
  /**
   * processed: every event read was applied (or ignored); partial: some failed; failed: every
   * event read failed (each kept, with its attempts, for the next drain or a person's retry).
   */
  status: 'processed' | 'partial' | 'failed' | 'idle' | 'busy' | 'skipped'
  connectionId: string
  events: number
  failedEvents: number
  counts: Partial<Record<ObjectType, RunCounts>>
  /** Set when ProcessOptions.signal stopped the drain with events left pending: why. */
  stopped?: string
  /** The first batch error, when events failed. */
  error?: string
}

export interface ProcessOptions {
  /** For tests and the bench: an adapter other than the connection's own. */
  adapter?: CrmAdapter
  /**
   * Stops between batch reads once aborted (the function's time limit near): what is
   * applied stays, the rest stays pending for the next drain or the cron.
   */
  signal?: AbortSignal
}

/**
 * Processes everything pending for one connection, under the connection's sync lease.
 * 'busy' when a sync holds the lease: the events stay pending for the next call (the
 * caller retries shortly, and that sync applies what waits when it ends; the cron is the net).
 */
export async function processPendingWebhooks(sql: Sql, connectionId: string, opts: ProcessOptions = {}): Promise<WebhookProcessSummary> {
  const summary: WebhookProcessSummary = { status: 'idle', connectionId, events: 0, failedEvents: 0, counts: {} }
  const connection = await getConnection(sql, connectionId)
  if (!connection || connection.status === 'disconnected') return { ...summary, status: 'skipped' }
  const settings = parseSettings(connection.settings)
  const owner = `webhook:${randomUUID()}`
  let afterId = 0
  // Re-checked after the lease is released: a delivery stored while we held it found the
  // lease busy and counts on us to see its events.
  for (let round = 0; round < 5 && !opts.signal?.aborted; round++) {
    // Expanding needs no lease (each delivery row goes to one caller), so the inbox and its
    // counters are current even while a sync runs.
    await expandPendingDeliveries(sql, connectionId)
    if (!(await acquireLease(sql, connectionId, owner, LEASE_TTL_MS))) return summary.events ? summary : { ...summary, status: 'busy' }
    try {
      if (round === 0) {
        await closeInterruptedRuns(sql, { connectionId, leaseOwner: owner })
        await settleKeptCompanies(sql, connection, settings)
      }
      const adapter = opts.adapter ?? adapterForConnection(sql, connection, settings)
      afterId = await drain(sql, connection, settings, adapter, owner, afterId, summary, opts.signal)
    } finally {
      await releaseLease(sql, connectionId, owner)
    }
    if (!(await hasPendingEvents(sql, connectionId, afterId))) break
  }
  // Stopped before a round, with events still waiting.
  if (opts.signal?.aborted && !summary.stopped && (await hasPendingEvents(sql, connectionId, afterId))) summary.stopped = stopReason(opts.signal)
  if (summary.events) summary.status = summary.failedEvents === 0 ? 'processed' : summary.failedEvents < summary.events ? 'partial' : 'failed'
  return summary
}

/**
 * After a sync run releases the lease: the events that came while it held it found the
 * connection busy and were left waiting (the receiver's drain gives up after a few seconds),
 * to be applied by the next delivery or the hourly cron. The run applies them instead. One
 * query when nothing waits; a failure here is the drain's own to record, not the run's.
 */
export async function applyWebhooksLeftWaiting(sql: Sql, connectionId: string, signal?: AbortSignal): Promise<WebhookProcessSummary | null> {
  if (!(await hasPendingEvents(sql, connectionId))) return null
  return processPendingWebhooks(sql, connectionId, { signal })
}

/** Moves every stored delivery of the connection into the inbox (webhook_events). */
export async function expandPendingDeliveries(sql: Sql, connectionId: string): Promise<void> {
  while ((await expandDeliveries(sql, connectionId, toInboxEvents, EXPAND_BATCH)).deliveries === EXPAND_BATCH);
}

async function drain(sql: Sql, connection: Connection, settings: ConnectionSettings, adapter: CrmAdapter, owner: string,
  afterId: number, summary: WebhookProcessSummary, signal?: AbortSignal): Promise<number> {
  const runGroup = randomUUID()
  // batches: read and written whole (what a failed batch read means for the run's status).
  const runs = new Map<ObjectType, { runId: number; ctx: PageContext; callsBefore: number; batches: { ok: number; failed: number } }>()
  let cut = false
  try {
    for (;;) {
      const events = await loadPendingEvents(sql, connection.id, EVENTS_PER_PASS, afterId)
      if (events.length === 0) break
      if (signal?.aborted) {
        cut = true
        break
      }
      afterId = events[events.length - 1].id
      summary.events += events.length
      const work = planWebhookWork(events, (t) => settings.direction !== 'push' && settings.entities[t])
      await markEventsProcessed(sql, work.ignoredEventIds)
      for (const [type, objects] of work.objects) {
        if (signal?.aborted) {
          cut = true
          break
        }
        let run = runs.get(type)
        if (!run) {
          const counts = emptyCounts()
          // Before any record is planned: a mapped column re-created empty is filled, never pushed.
          await followRecreatedColumns(sql, connection, type)
          const runId = await startRun(sql, { tenantId: connection.tenantId, connectionId: connection.id, runGroup, objectType: type, trigger: 'webhook' })
          // With runId, each batch adds its counts to the run's row in its own transaction (addRunCounts).
          run = { runId, callsBefore: adapter.apiCalls(), ctx: pageContext(sql, connection, settings, type, { counts, errors: [], runId }), batches: { ok: 0, failed: 0 } }
          runs.set(type, run)
          summary.counts[type] = counts
        }
        for (let i = 0; i < objects.length; i += READ_BATCH) {
          if (signal?.aborted) {
            cut = true
            break
          }
          const batch = objects.slice(i, i + READ_BATCH)
          const failed = await applyObjects(run.ctx, adapter, batch)
          summary.failedEvents += failed
          summary.error ??= failed ? run.ctx.errors.at(-1)?.message : undefined
          // A batch whose live records committed before its deletions failed is both.
          if (failed) run.batches.failed++
          if (failed < batch.reduce((n, o) => n + o.eventIds.length, 0)) run.batches.ok++
        }
        run.ctx.counts.apiCalls = adapter.apiCalls() - run.callsBefore
        await renewLease(sql, connection.id, owner, LEASE_TTL_MS)
        // The counts are in the row already: only the calls and errors, which no batch carries.
        await updateRunProgress(sql, run.runId, run.ctx.counts.apiCalls, run.ctx.errors)
      }
      if (cut) break
    }
  } finally {
    // Stopped: each run says so, as a sync's does (what it did not reach stays pending).
    const stopped = cut && signal ? `${STOPPED} ${stopReason(signal)}; the events left wait for the next drain` : undefined
    // Every batch failed (HubSpot down, a revoked token): failed, with the reason, as a sync
    // that cannot read is; some: partial, the failures listed in its errors. The counts
    // written are the committed ones (each batch's reach ctx.counts only with its commit).
    for (const { runId, ctx, batches } of runs.values()) {
      const allFailed = batches.failed > 0 && batches.ok === 0
      const status = allFailed ? 'failed' : stopped || ctx.counts.failed > 0 || ctx.errors.length ? 'partial' : 'success'
      await updateRun(sql, runId, ctx.counts, ctx.errors, { status, error: stopped ?? (allFailed ? ctx.errors[0]?.message : undefined) })
    }
  }
  if (cut) summary.stopped = stopReason(signal!)
  return afterId
}

/**
 * One batch read's worth of objects. Returns how many events failed: those whose records
 * did not commit count as failed in the run and stay for a later attempt.
 */
async function applyObjects(ctx: PageContext, adapter: CrmAdapter, objects: ObjectWork[]): Promise<number> {
  // The batch commits in two steps (live records, then deletions): a failure in the second
  // leaves the first's events processed and its records counted, so only what is left fails.
  let left = objects
  try {
    // A mapped column missing: failed (an attempt, as before) without reading HubSpot (see schemaFailureNow).
    const broken = await schemaFailureNow(ctx.sql, ctx.type)
    if (broken) throw broken
    const read = await adapter.readBatch(ctx.type, objects.map((o) => o.remoteId))
    // A merged-away id may resolve to its survivor: one record, once.
    const records = [...new Map(read.map((r): [string, RemoteRecord] => [r.remoteId, r])).values()]
    await adapter.loadAssociations(ctx.type, records)
    const live = new Set(records.map((r) => r.remoteId))
    const gone = objects.filter((o) => !live.has(o.remoteId))
    const liveEvents = objects.filter((o) => live.has(o.remoteId)).flatMap((o) => o.eventIds)
    if (records.length) await applyPage(ctx, records, (tx) => markEventsProcessed(tx, liveEvents))
    else await markEventsProcessed(ctx.sql, liveEvents)
    left = gone
    // Gone without a deletion event (changed, then deleted): its deletion event or the
    // pull's archived listing archives it; nothing to write now.
    const deleted = gone.filter((o) => o.deleted).map((o) => o.remoteId)
    const goneEvents = gone.flatMap((o) => o.eventIds)
    if (deleted.length) await applyArchived(ctx, deleted, (tx) => markEventsProcessed(tx, goneEvents))
    else await markEventsProcessed(ctx.sql, goneEvents)
    return 0
  } catch (e) {
    // A Postgres schema error (the app renamed a mapped column) says which column, as a run's does.
    const named = await namedError(ctx.sql, ctx.type, e)
    const message = isCrmError(e) || named.type === 'schema' ? `[${named.type}] ${named.message}` : named.message
    ctx.errors.push({ message })
    // The failed count commits with the events' attempt, as an applied batch's counts do.
    const eventIds = left.flatMap((o) => o.eventIds)
    await ctx.sql.begin(async (tx) => {
      await markEventsFailed(tx, eventIds, message)
      if (ctx.runId !== undefined) await addRunCounts(tx, ctx.runId, { ...emptyCounts(), failed: left.length })
    })
    ctx.counts.failed += left.length
    return eventIds.length
  }
}
