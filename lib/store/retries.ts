import type { ObjectType } from '../crm/types'
import type { Db } from './db'
import type { RecordError } from './runs'

// CRM records a pull could not write, read again by later incremental runs (see the
// sync_retries migrations).

/**
 * Records that failed to write: kept for the next run, or, failing again, their attempt
 * counted and their next read put off by 1, 2, 4 … hours, at most a day (the attempts
 * before this one: 1 → 1 h, 2 → 2 h, …, 6 and on → 24 h).
 */
export async function recordFailedPulls(db: Db, tenantId: string, connectionId: string, type: ObjectType, failures: RecordError[]): Promise<void> {
  const rows = failures.flatMap((f) => (f.remoteId ? [{ remote_id: f.remoteId, error: f.message.slice(0, 1000) }] : []))
  if (rows.length === 0) return
  await db`
    insert into sync_retries (connection_id, object_type, remote_id, tenant_id, error)
    select ${connectionId}, ${type}, u.remote_id, ${tenantId}, u.error
      from jsonb_to_recordset(${db.json(rows as never)}::jsonb) as u(remote_id text, error text)
    on conflict (connection_id, object_type, remote_id) do update
       set attempts = sync_retries.attempts + 1, error = excluded.error, last_failed_at = now(),
           next_attempt_at = now() + make_interval(secs => least(86400, 3600 * power(2, sync_retries.attempts - 1)))`
}

/** Up to `limit` records due to be read again, the longest due first. */
export async function loadRetries(db: Db, connectionId: string, type: ObjectType, limit: number): Promise<string[]> {
  const rows = await db`select remote_id from sync_retries
                         where connection_id = ${connectionId} and object_type = ${type} and next_attempt_at <= now()
                         order by next_attempt_at, remote_id limit ${limit}`
  return rows.map((r) => r.remote_id as string)
}

/** Records that went in (or are gone from the CRM): nothing left to retry. */
export async function clearRetries(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return
  await db`delete from sync_retries where connection_id = ${connectionId} and object_type = ${type} and remote_id = any(${remoteIds}::text[])`
}
