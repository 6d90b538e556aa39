import type { SyncObjectType, SyncTrigger } from '../crm/types'
import type { Db } from './db'

export interface RunCounts {
  fetched: number
  created: number
  updated: number
  unchanged: number
  archived: number
  skipped: number
  failed: number
  pushed: number
  echoesSuppressed: number
  conflicts: number
  apiCalls: number
}

export const emptyCounts = (): RunCounts => ({
  fetched: 0, created: 0, updated: 0, unchanged: 0, archived: 0, skipped: 0, failed: 0, pushed: 0,
  echoesSuppressed: 0, conflicts: 0, apiCalls: 0,
})

export type RunStatus = 'running' | 'success' | 'partial' | 'failed'

export interface RecordError {
  remoteId?: string
  localId?: string
  message: string
}

export async function startRun(db: Db, r: { tenantId: string; connectionId: string; runGroup: string; objectType: SyncObjectType; trigger: SyncTrigger }): Promise<number> {
  const [row] = await db`
    insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status)
    values (${r.tenantId}, ${r.connectionId}, ${r.runGroup}, ${r.objectType}, ${r.trigger}, 'running')
    returning id`
  return Number(row.id)
}

/** Progress (while running) or the final state of a run. Errors are capped at 100 per run. */
export async function updateRun(db: Db, runId: number, counts: RunCounts, errors: RecordError[], final?: { status: RunStatus; error?: string }): Promise<void> {
  await db`
    update sync_runs set
      fetched = ${counts.fetched}, created = ${counts.created}, updated = ${counts.updated},
      unchanged = ${counts.unchanged}, archived = ${counts.archived}, skipped = ${counts.skipped},
      failed = ${counts.failed}, pushed = ${counts.pushed}, echoes_suppressed = ${counts.echoesSuppressed},
      conflicts = ${counts.conflicts}, api_calls = ${counts.apiCalls},
      errors = ${db.json(errors.slice(0, 100) as never)},
      status = ${final?.status ?? 'running'},
      error = ${final?.error ?? null},
      finished_at = ${final ? db`now()` : null},
      duration_ms = ${final ? db`(extract(epoch from now() - started_at) * 1000)::int` : null}
    where id = ${runId}`
}

/** `a` plus `b`, field by field (a committed page's counts onto the run's). */
export function addCounts(a: RunCounts, b: RunCounts): void {
  for (const k of Object.keys(b) as (keyof RunCounts)[]) a[k] += b[k]
}

/**
 * Adds a committed page's (or push call's, or webhook batch's) counts to its run row, in its own
 * transaction: the row then says exactly what is in the database, also when the process
 * dies before the run ends (a kill, a crash). One update by primary key per page.
 * api_calls is not here: calls are made whether or not a page commits (see updateRunProgress).
 */
export async function addRunCounts(db: Db, runId: number, d: RunCounts): Promise<void> {
  await db`
    update sync_runs set
      fetched = fetched + ${d.fetched}, created = created + ${d.created}, updated = updated + ${d.updated},
      unchanged = unchanged + ${d.unchanged}, archived = archived + ${d.archived}, skipped = skipped + ${d.skipped},
      failed = failed + ${d.failed}, pushed = pushed + ${d.pushed}, echoes_suppressed = echoes_suppressed + ${d.echoesSuppressed},
      conflicts = conflicts + ${d.conflicts}
    where id = ${runId}`
}

/**
 * Progress of a running run whose pages write their own counts (addRunCounts): only what
 * no page transaction carries. Writing the counts here too could overwrite a page's
 * committed addition with an older total.
 */
export async function updateRunProgress(db: Db, runId: number, apiCalls: number, errors: RecordError[]): Promise<void> {
  await db`update sync_runs set api_calls = ${apiCalls}, errors = ${db.json(errors.slice(0, 100) as never)} where id = ${runId}`
}

/** What a run whose process ended mid-way (a crash, a kill, a platform's time limit) is closed with. */
// Present tense: the row says so from the moment its process is known to have stopped, before
// any next sync has run. Rows closed with an earlier wording still start with the tag, which is
// what the dashboard matches (INTERRUPTED_TAG).
export const INTERRUPTED_TAG = '[interrupted]'
export const INTERRUPTED_ERROR = `${INTERRUPTED_TAG} the sync stopped before it finished (its process ended); the next sync goes on from its last saved batch`

/**
 * Closes runs left 'running' by a process that ended mid-run: every writer of a run row
 * holds the connection's sync lease while the row is open, so a 'running' row is dead
 * unless its connection's lease is live and held by someone else. A lease holder calls
 * this before it opens its own rows (`leaseOwner`: itself); the cron sweeps every
 * connection (no owner: rows whose connection's lease has lapsed). Marked failed with
 * INTERRUPTED_ERROR; when it stopped is not known, so finished_at and duration stay empty.
 */
export async function closeInterruptedRuns(db: Db, scope: { connectionId?: string; leaseOwner?: string }): Promise<number> {
  const rows = await db`
    update sync_runs r set status = 'failed', error = ${INTERRUPTED_ERROR}
      from crm_connections c
     where c.id = r.connection_id and r.status = 'running'
       ${scope.connectionId ? db`and r.connection_id = ${scope.connectionId}` : db``}
       and not (c.sync_lease_until is not null and c.sync_lease_until > now()
                and c.sync_lease_owner is distinct from ${scope.leaseOwner ?? null})
    returning r.id`
  return rows.length
}
