import type { ObjectType } from '../crm/types'
import type { Db } from './db'

export interface OutboxEntry {
  id: number
  localId: string
  op: 'insert' | 'update' | 'delete'
  changedFields: string[]
  attempts: number
}

/** Queues fields decided in the app's favour during a pull, for the push that follows. */
export async function enqueuePush(db: Db, tenantId: string, connectionId: string, type: ObjectType, rows: Array<{ localId: string; columns: string[] }>): Promise<void> {
  if (rows.length === 0) return
  await db`
    insert into crm_outbox (tenant_id, connection_id, object_type, local_id, op, changed_fields)
    select ${tenantId}, ${connectionId}, ${type}, u.local_id, 'update', array(select json_array_elements_text(u.columns))
      from jsonb_to_recordset(${db.json(rows.map((r) => ({ local_id: r.localId, columns: r.columns })) as never)}::jsonb)
        as u(local_id uuid, columns json)`
}

/**
 * Pending entries of one object type, oldest first (after `afterId`: a dry run pages through
 * them, as nothing leaves the outbox), skipping ones waiting out a retry
 * delay, unless the app has changed the same record since (a new entry, not yet tried):
 * that is usually the fix, so the failed change goes with it now instead of hours later.
 */
export async function loadPending(db: Db, connectionId: string, type: ObjectType, limit: number, afterId = 0): Promise<OutboxEntry[]> {
  // A held entry (private.outbox_held: a company change while companies are off) waits,
  // and, waiting, is not a new change that cuts a failed entry's delay short.
  const rows = await db`
    with c as (select settings from crm_connections where id = ${connectionId})
    select id, local_id, op, changed_fields, attempts from crm_outbox o, c
     where connection_id = ${connectionId} and object_type = ${type} and id > ${afterId}
       and not private.outbox_held(o.op, o.changed_fields, c.settings)
       and (next_attempt_at is null or next_attempt_at <= now()
            or exists (select 1 from crm_outbox n where n.connection_id = o.connection_id and n.object_type = o.object_type
                                                    and n.local_id = o.local_id and n.attempts = 0
                                                    and not private.outbox_held(n.op, n.changed_fields, c.settings)))
     order by id limit ${limit}`
  return rows.map((r) => ({ id: Number(r.id), localId: r.local_id, op: r.op, changedFields: r.changed_fields, attempts: r.attempts }))
}

/** Per local id, the columns its pending entries change. */
export async function pendingColumns(db: Db, connectionId: string, type: ObjectType, localIds: string[]): Promise<Map<string, Set<string>>> {
  const rows = await db`
    select local_id, array_agg(distinct c) as columns
      from crm_outbox, unnest(changed_fields) as c
     where connection_id = ${connectionId} and object_type = ${type} and local_id = any(${localIds}::uuid[])
     group by local_id`
  return new Map(rows.map((r) => [r.local_id as string, new Set(r.columns as string[])]))
}

/**
 * How many of a tenant's records have app changes the connection's next sync sends (held
 * ones, under its settings now, left out): what a settings save answers once the
 * connection pushes, e.g. the edits remembered while it was HubSpot → app only.
 */
export async function recordsToSend(db: Db, tenantId: string, connectionId: string): Promise<number> {
  const [r] = await db`
    select count(distinct (o.object_type, o.local_id))::int as n
      from crm_outbox o join crm_connections c on c.id = o.connection_id and c.tenant_id = o.tenant_id
     where o.connection_id = ${connectionId} and o.tenant_id = ${tenantId}
       and not private.outbox_held(o.op, o.changed_fields, c.settings)`
  return r.n
}

/** Whether a delete of the record waits in the outbox. */
export async function hasPendingDelete(db: Db, connectionId: string, type: ObjectType, localId: string): Promise<boolean> {
  const rows = await db`select 1 from crm_outbox where connection_id = ${connectionId} and object_type = ${type} and local_id = ${localId} and op = 'delete' limit 1`
  return rows.length > 0
}

/** A record's pending entries, dropped unsent: what they held went elsewhere (a merge carried it to the survivor). */
export async function dropPendingEntries(db: Db, connectionId: string, type: ObjectType, localId: string): Promise<void> {
  await db`delete from crm_outbox where connection_id = ${connectionId} and object_type = ${type} and local_id = ${localId}`
}

/**
 * Takes `columns` out of records' waiting entries (inserts and updates), and drops an
 * update left with none: the pull wrote the CRM's values of them over the app's edits
 * (a pull-only connection's, see PageContext.pullOnly), so they are not the app's to send.
 */
export async function dropOverwrittenEdits(db: Db, connectionId: string, type: ObjectType, rows: Array<{ localId: string; columns: string[] }>): Promise<void> {
  if (rows.length === 0) return
  const dropped = await db`
    update crm_outbox o set changed_fields = array(select c from unnest(o.changed_fields) as c where not c = any (u.columns))
      from (select local_id, array(select json_array_elements_text(columns)) as columns
              from jsonb_to_recordset(${db.json(rows.map((r) => ({ local_id: r.localId, columns: r.columns })) as never)}::jsonb)
                as x(local_id uuid, columns json)) u
     where o.connection_id = ${connectionId} and o.object_type = ${type} and o.local_id = u.local_id
       and o.op in ('insert', 'update') and o.changed_fields && u.columns
    returning o.id, o.op, o.changed_fields`
  const empty = dropped.filter((r) => r.op === 'update' && (r.changed_fields as string[]).length === 0).map((r) => Number(r.id))
  if (empty.length) await db`delete from crm_outbox where id = any(${empty}::bigint[])`
}

/** Entries the CRM acknowledged: gone from the outbox. */
export async function ackEntries(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db`delete from crm_outbox where id = any(${ids}::bigint[])`
}

/** Entries that failed: kept, with the error and a growing delay before the next attempt. */
export async function failEntries(db: Db, failures: Array<{ id: number; error: string }>): Promise<void> {
  if (failures.length === 0) return
  await db`
    update crm_outbox o set attempts = o.attempts + 1, last_error = u.error,
           next_attempt_at = now() + make_interval(secs => least(3600, 30 * power(2, o.attempts)))
      from jsonb_to_recordset(${db.json(failures as never)}::jsonb) as u(id bigint, error text)
     where o.id = u.id`
}

/**
 * Entries whose change went out but for one column (a record's owner the CRM account has no
 * owner for): narrowed to that column, an update now, and kept failed with the reason and a
 * growing delay, as failEntries keeps them.
 */
export async function failColumnOnly(db: Db, column: string, failures: Array<{ id: number; error: string }>): Promise<void> {
  if (failures.length === 0) return
  await db`
    update crm_outbox o set op = 'update', changed_fields = array[${column}::text], attempts = o.attempts + 1, last_error = u.error,
           next_attempt_at = now() + make_interval(secs => least(3600, 30 * power(2, o.attempts)))
      from jsonb_to_recordset(${db.json(failures as never)}::jsonb) as u(id bigint, error text)
     where o.id = u.id`
}

export async function listFailedEntries(db: Db, tenantId: string, limit = 50) {
  return db`select id, object_type, local_id, op, attempts, last_error, next_attempt_at from crm_outbox
             where tenant_id = ${tenantId} and last_error is not null order by id desc limit ${limit}`
}
