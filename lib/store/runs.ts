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
