import { randomUUID } from 'node:crypto'
import { env } from '../env'
import { getConnection, markSynced, setConnectionStatus, type Connection } from '../store/connections'
import { loadCursor } from '../store/cursors'
import type { Sql } from '../store/db'
import { acquireLease, releaseLease, renewLease } from '../store/lease'
import { closeInterruptedRuns, emptyCounts, startRun, updateRun, updateRunProgress, type RecordError, type RunCounts, type RunStatus } from '../store/runs'
import { ADAPTERS } from './adapters/registry'
import type { CrmAdapter } from './adapters/types'
import { tokenSourceFor } from './auth/token-source'
import { CrmError, isCrmError, refusedToken } from './errors'
import { namedError, schemaFailureNow } from './named-error'
import { pullArchived } from './pull/archived'
import { pageContext } from './pull/apply-page'
import { checkAssociations } from './pull/association-check'
import { settleKeptCompanies } from './pull/companies-on'
import { refreshPortalProperties } from './pull/field-options'
import { pullFull, readWithChanged } from './pull/full'
import { pullIncremental } from './pull/incremental'
import { pullRetries } from './pull/retries'
import { pullOwners } from './pull/owners'
import { connectionDisconnected } from './live-connection'
import { isStopped, STOPPED } from './stopped'
import { pushOutbox } from './push/push-outbox'
import { followRecreatedColumns } from './recreated-columns'
import { parseSettings, type ConnectionSettings } from './settings'
import { stopReason } from './time-limit'
import { PLURAL, SYNC_OBJECT_TYPES, type PluralObjectType, type SyncObjectType, type SyncTrigger } from './types'
import { applyWebhooksLeftWaiting } from './webhooks/process'

export interface SyncOptions {
  connectionId: string
  trigger: SyncTrigger
  /** Re-list everything instead of searching for changes. */
  full?: boolean
  /** Limit the run to these object types (default: the connection's enabled ones). */
  objects?: SyncObjectType[]
  /** Report what would change; write nothing (neither side). */
  dryRun?: boolean
  /** Read the portal's field options (labels) even if read today: a person asked for this sync (Refresh CRM). */
  rereadOptions?: boolean
  onProgress?: (p: SyncProgress) => void
  /** Lease length; renewed after every page. */
  leaseTtlMs?: number
  /**
   * Stops the run between batches once aborted (a platform's time limit near, Ctrl-C):
   * what is committed stays, the object types reached end 'partial' with the reason, the
   * rest are not started, and the connection is due again at once, so the next run goes
   * on from the saved cursors.
   */
  signal?: AbortSignal
  /** Filled with the time spent in page transactions (the benchmark reads it). */
  timing?: { dbMs: number }
}

export interface SyncProgress {
  objectType: SyncObjectType
  counts: RunCounts
}

export type ObjectSummary = RunCounts & { status: RunStatus; durationMs: number; error?: string }

export interface SyncSummary {
  status: RunStatus | 'busy'
  runGroup: string
  connectionId: string
  dryRun: boolean
  durationMs: number
  objects: Partial<Record<PluralObjectType, ObjectSummary>>
  /** Set when the run was stopped early (SyncOptions.signal): why. */
  stopped?: string
}

/** Builds the adapter for a connection: its CRM, its base URL, its token source, its budget. */
export function adapterForConnection(sql: Sql, connection: Connection, settings: ConnectionSettings): CrmAdapter {
  const perTenSeconds = settings.requestsPerTenSeconds ?? (connection.authMethod === 'private_app' ? 100 : 110)
  return ADAPTERS[connection.provider]({
    baseUrl: connection.apiBaseUrl ?? env().HUBSPOT_API_BASE_URL,
    tokens: tokenSourceFor(sql, connection),
    perTenSeconds,
    extraProperties: settings.extraProperties,
  })
}

/**
 * One sync run for one connection: every entry point (connect, Refresh CRM, cron,
 * webhooks, CLI) comes through here. One run at a time per connection (a lease); per
 * object type, owners → companies → contacts → deals (so references resolve), pull then
 * push, each recorded in sync_runs.
 */
export async function runSync(sql: Sql, opts: SyncOptions): Promise<SyncSummary> {
  const started = Date.now()
  const runGroup = randomUUID()
  const summary: SyncSummary = { status: 'success', runGroup, connectionId: opts.connectionId, dryRun: !!opts.dryRun, durationMs: 0, objects: {} }
  const connection = await getConnection(sql, opts.connectionId)
  if (!connection) throw new CrmError('not_found', `no connection ${opts.connectionId}`)
  // The routes' own 409 (not a 'config' error, a 500): a caller that looked before it was
  // disconnected answers it as if it had looked after; the cron and the pushes after a
  // decision skip it (isConnectionDisconnected).
  if (connection.status === 'disconnected') throw connectionDisconnected()
  const settings = parseSettings(connection.settings)
  const leaseTtlMs = opts.leaseTtlMs ?? 120_000
  if (!(await acquireLease(sql, connection.id, runGroup, leaseTtlMs))) return { ...summary, status: 'busy' }
  try {
    if (!opts.dryRun) {
      await closeInterruptedRuns(sql, { connectionId: connection.id, leaseOwner: runGroup })
      await settleKeptCompanies(sql, connection, settings)
    }
    const adapter = adapterForConnection(sql, connection, settings)
    const types = SYNC_OBJECT_TYPES.filter((t) => settings.entities[t] && (!opts.objects || opts.objects.includes(t)))
    for (const type of types) {
      if (opts.signal?.aborted) {
        summary.stopped = stopReason(opts.signal)
        break
      }
      const result = await runObject(sql, connection, settings, adapter, type, runGroup, opts, leaseTtlMs)
      summary.objects[PLURAL[type]] = result
      if (result.error && isStopped(result.error)) {
        summary.stopped = stopReason(opts.signal!)
        break
      }
      if (result.error && refusedToken(result.error)) break
    }
    // Stopped early: due again at once, so the next cron tick goes on from the cursors.
    if (!opts.dryRun) await markSynced(sql, connection.id, summary.stopped ? 0 : settings.frequencyMinutes)
  } finally {
    await releaseLease(sql, connection.id, runGroup)
  }
  if (!opts.dryRun && !summary.stopped && !opts.signal?.aborted) {
    await applyWebhooksLeftWaiting(sql, connection.id, opts.signal)
      .catch((e: unknown) => console.warn('[syncline] webhook events left waiting by the sync:', e instanceof Error ? e.message : String(e)))
  }
  const statuses = Object.values(summary.objects).map((o) => o.status)
  summary.status = summary.stopped && statuses.every((s) => s !== 'failed') ? 'partial'
    : statuses.every((s) => s === 'success') ? 'success' : statuses.every((s) => s === 'failed') ? 'failed' : 'partial'
  summary.durationMs = Date.now() - started
  return summary
}

/** Thrown between batches once the run's signal is aborted: not a failure, a stop. */
class RunStopped extends Error {}

async function runObject(sql: Sql, connection: Connection, settings: ConnectionSettings, adapter: CrmAdapter,
  type: SyncObjectType, runGroup: string, opts: SyncOptions, leaseTtlMs: number): Promise<ObjectSummary> {
  const started = Date.now()
  const counts = emptyCounts()
  const errors: RecordError[] = []
  const callsBefore = adapter.apiCalls()
  const runId = opts.dryRun ? undefined : await startRun(sql, { tenantId: connection.tenantId, connectionId: connection.id, runGroup, objectType: type, trigger: opts.trigger })
  let lastSaved = Date.now()
  const report = async () => {
    counts.apiCalls = adapter.apiCalls() - callsBefore
    opts.onProgress?.({ objectType: type, counts })
    // The lease and the dashboard's API calls and errors are refreshed at most once a
    // second; the counts are in the row already, each page's written with it (addRunCounts).
    if (runId === undefined || Date.now() - lastSaved < 1_000) return
    lastSaved = Date.now()
    if (!(await renewLease(sql, connection.id, runGroup, leaseTtlMs))) throw new CrmError('busy', 'lost the sync lease')
    await updateRunProgress(sql, runId, counts.apiCalls, errors)
  }
  const stopIfAsked = () => {
    if (opts.signal?.aborted) throw new RunStopped(stopReason(opts.signal))
  }
  // After each committed batch: a stop lands here (a full listing's batch in flight finishes first).
  const progress = async () => {
    await report()
    stopIfAsked()
  }
  let error: string | undefined
  let stopped: string | undefined
  try {
    const direction = settings.direction
    // A mapped column re-created empty since: its emptiness is never pushed, and the listing below
    // fills it. First: one missing now is noted too, so that its coming back counts.
    if (type !== 'owner' && !opts.dryRun) await followRecreatedColumns(sql, connection, type)
    // A mapped column missing: failed before a call to HubSpot (see schemaFailureNow).
    const broken = await schemaFailureNow(sql, type)
    if (broken) throw broken
    if (type === 'owner') {
      if (direction !== 'push') await pullOwners(sql, connection.tenantId, connection.id, adapter, counts, !!opts.dryRun, runId)
    } else {
      const ctx = pageContext(sql, connection, settings, type, { counts, errors, dryRun: !!opts.dryRun, timing: opts.timing, runId })
      let incremental = false
      if (direction !== 'push') {
        await refreshPortalProperties(ctx, adapter, opts.rereadOptions === true)
        const cursor = await loadCursor(sql, connection.id, type)
        // --full, or extra properties changed since the records were read (their values
        // are only in a fresh read; a first listing cut short starts over too), start a
        // fresh listing; its pages overwrite the stored cursor as they commit, and one cut
        // short resumes where it stopped.
        const readWithOthers = readWithChanged(cursor.checkpoint, ctx.extraProperties) && (cursor.initialDone || cursor.checkpoint.full !== undefined)
        const fresh = opts.full || readWithOthers
        const listing = fresh ? { checkpoint: {}, initialDone: cursor.initialDone || opts.full === true } : cursor
        if (fresh || !cursor.initialDone || cursor.checkpoint.full) {
          await pullFull(ctx, adapter, listing, progress)
          // A first listing has nothing to archive; a later one may.
          if (listing.initialDone) await pullArchived(ctx, adapter, progress)
        } else {
          const retried = await pullRetries(ctx, adapter, progress)
          await pullIncremental(ctx, adapter, cursor, settings.lookbackMs, progress, retried)
          await pullArchived(ctx, adapter, progress)
          incremental = true
        }
      }
      if (direction !== 'pull') {
        // Each push call commits its acks, links and associations (and its counts) together;
        // it stops between rounds. A dry run counts what it would send (pushed) and sends nothing.
        await pushOutbox(ctx, adapter, report, () => opts.signal?.aborted === true)
        stopIfAsked()
      }
      // Last: a long check (a large portal's) never holds up the push; what it does not reach resumes next run.
      if (incremental) await checkAssociations(ctx, adapter, settings.associationCheckHours, progress)
    }
  } catch (e) {
    if (e instanceof RunStopped) {
      stopped = `${STOPPED} ${e.message}; the next sync goes on from here`
    } else {
      const err = await namedError(sql, type, e)
      error = `[${err.type}] ${err.message}`
      if (err.type === 'auth_expired' || err.type === 'forbidden') {
        await setConnectionStatus(sql, connection.id, 'needs_reauth', err.message)
      }
    }
  }
  counts.apiCalls = adapter.apiCalls() - callsBefore
  const status: RunStatus = error ? 'failed' : stopped || counts.failed > 0 ? 'partial' : 'success'
  error ??= stopped
  if (runId !== undefined) await updateRun(sql, runId, counts, errors, { status, error })
  return { ...counts, status, durationMs: Date.now() - started, ...(error ? { error } : {}) }
}
