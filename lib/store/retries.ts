import type { ObjectType } from '../crm/types'
import type { Db } from './db'
import type { RecordError } from './runs'

// CRM records a pull could not write, read again by the next incremental run (see the
// sync_retries migration).

/** Records that failed to write: kept (or their attempt counted) for the next run. */
export async function recordFailedPulls(db: Db, tenantId: string, connectionId: string, type: ObjectType, failures: RecordError[]): Promise<void> {
  const rows = failures.flatMap((f) => (f.remoteId ? [{ remote_id: f.remoteId, error: f.message.slice(0, 1000) }] : []))
  if (rows.length === 0) return
  await db`
    insert into sync_retries (connection_id, object_type, remote_id, tenant_id, error)
    select ${connectionId}, ${type}, u.remote_id, ${tenantId}, u.error
      from jsonb_to_recordset(${db.json(rows as never)}::jsonb) as u(remote_id text, error text)
    on conflict (connection_id, object_type, remote_id) do update
       set attempts = sync_retries.attempts + 1, error = excluded.error, last_failed_at = now()`
}

/** The oldest `limit` records waiting to be read again. */
export async function loadRetries(db: Db, connectionId: string, type: ObjectType, limit: number): Promise<string[]> {
  const rows = await db`select remote_id from sync_retries where connection_id = ${connectionId} and object_type = ${type}
                         order by last_failed_at, remote_id limit ${limit}`
  return rows.map((r) => r.remote_id as string)
}

/** Records that went in (or are gone from the CRM): nothing left to retry. */
export async function clearRetries(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return
  await db`delete from sync_retries where connection_id = ${connectionId} and object_type = ${type} and remote_id = any(${remoteIds}::text[])`
}
