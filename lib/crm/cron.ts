import { listDueConnections } from '../store/connections'
import type { Sql } from '../store/db'
import { pruneHistory } from '../store/retention'
import { closeInterruptedRuns } from '../store/runs'
import { listConnectionsWithPendingWebhooks } from '../store/webhook-events'
import { isCrmError } from './errors'
import { isConnectionDisconnected } from './live-connection'
import { runSync, type SyncSummary } from './sync-service'
import { timeLimitSignal } from './time-limit'
import { processPendingWebhooks } from './webhooks/process'

// The scheduled sync (Vercel cron → /api/cron/sync-crm): every connection whose
// next_sync_at is due, each on its own (one failing does not stop the others), a few at a
// time, and none started once the time budget is nearly spent. What is not reached stays
// due and is picked up by the next invocation. Runs still going near the time limit stop
// between batches (see time-limit.ts) and are due again at once; a run cut short resumes
// from its cursor.

export interface CronResult {
  connectionId: string
  status: SyncSummary['status'] | 'error'
  durationMs: number
  error?: string
}

export interface CronReport {
  /** Runs left 'running' by a process that ended mid-run (any connection), now closed as interrupted; null if that failed. */
  interrupted: number | null
  due: number
  results: CronResult[]
  /** Due connections left for the next invocation (out of time). */
  deferred: string[]
  /** Webhook events left pending (a missed after(), a busy lease) and applied now. */
  webhooks: Array<{ connectionId: string; status: string; events: number }>
  /** Old webhook-apply runs, applied webhook events and unusable pending references deleted, tenants whose lead count rows were folded (see pruneHistory); null when out of time or it failed. */
  pruned: Awaited<ReturnType<typeof pruneHistory>> | null
}

export interface CronOptions {
  /** The function's time budget (its maxDuration), in ms. */
  budgetMs: number
  /** Do not start a connection with less than this left. */
  reserveMs?: number
  limit?: number
  concurrency?: number
  sync?: typeof runSync
}

export async function syncDueConnections(sql: Sql, opts: CronOptions): Promise<CronReport> {
  const started = Date.now()
  const deadline = started + opts.budgetMs - (opts.reserveMs ?? Math.min(60_000, opts.budgetMs / 4))
  const signal = timeLimitSignal(opts.budgetMs)
  const sync = opts.sync ?? runSync
  const interrupted = await housekeeping('closing interrupted runs', () => closeInterruptedRuns(sql, {}))
  const due = await listDueConnections(sql, opts.limit ?? 100)
  const queue = [...due]
  const results: CronResult[] = []
  const deferred: string[] = []

  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      if (Date.now() >= deadline) {
        deferred.push(c.id)
        continue
      }
      const t0 = Date.now()
      try {
        const s = await sync(sql, { connectionId: c.id, trigger: 'cron', signal })
        results.push({ connectionId: c.id, status: s.status, durationMs: s.durationMs })
      } catch (e) {
        // Disconnected since it was listed as due: skipped as if it had not been listed (a
        // disconnected connection is not due), not reported or logged as a failure.
        if (isConnectionDisconnected(e)) continue
        // Logged without the cause: a CRM error's cause can carry request headers.
        const message = isCrmError(e) ? `[${e.type}] ${e.message}` : e instanceof Error ? e.message : String(e)
        console.error(`[syncline] cron: connection ${c.id} failed: ${message}`)
        results.push({ connectionId: c.id, status: 'error', durationMs: Date.now() - t0, error: message })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker))
  const webhooks = await drainLeftoverWebhooks(sql, deadline, signal)
  const pruned = Date.now() < deadline ? await housekeeping('pruning history', () => pruneHistory(sql)) : null
  return { interrupted, due: due.length, results, deferred, webhooks, pruned }
}

/** Upkeep that must not stop the syncs: a failure is logged and reported as null. */
async function housekeeping<T>(label: string, task: () => Promise<T>): Promise<T | null> {
  try {
    return await task()
  } catch (e) {
    console.error(`[syncline] cron: ${label} failed: ${e instanceof Error ? e.message : String(e)}`)
    return null
  }
}

/** The safety net for webhooks: whatever an after() missed is applied here, within the budget. */
async function drainLeftoverWebhooks(sql: Sql, deadline: number, signal: AbortSignal): Promise<CronReport['webhooks']> {
  const out: CronReport['webhooks'] = []
  for (const connectionId of await listConnectionsWithPendingWebhooks(sql, 100)) {
    if (Date.now() >= deadline) break
    try {
      const r = await processPendingWebhooks(sql, connectionId, { signal })
      out.push({ connectionId, status: r.status, events: r.events })
    } catch (e) {
      const message = isCrmError(e) ? `[${e.type}] ${e.message}` : e instanceof Error ? e.message : String(e)
      console.error(`[syncline] cron: webhooks of ${connectionId} failed: ${message}`)
      out.push({ connectionId, status: 'error', events: 0 })
    }
  }
  return out
}
