import type { Fields, ObjectType } from '../crm/types'
import { syncWriterSettings, type Db, type Tx } from './db'

export interface ConflictWrite {
  localId: string
  remoteId: string
  fields: string[]
  local: Fields
  remote: Fields
  /** When each side last changed the conflicting fields, where known. */
  localAt?: Date | null
  remoteAt?: Date | null
}

/**
 * Opens (or refreshes) the one open conflict per record. A side's change time moves only
 * when that side's value of a conflicting field did: a refresh because the record changed
 * elsewhere keeps the times of the edits that are in conflict. created_at stays when the
 * conflict first opened: a refresh keeps its place in the oldest-first queue.
 */
export async function upsertConflicts(db: Db, tenantId: string, connectionId: string, type: ObjectType, rows: ConflictWrite[]): Promise<void> {
  if (rows.length === 0) return
  const payload = rows.map((r) => ({ local_id: r.localId, remote_id: r.remoteId, fields: r.fields, local: r.local, remote: r.remote,
    local_at: r.localAt ?? null, remote_at: r.remoteAt ?? null }))
  await db`
    insert into sync_conflicts as k (tenant_id, connection_id, object_type, local_id, remote_id, fields, local_snapshot, remote_snapshot,
                                     local_changed_at, remote_changed_at)
    select ${tenantId}, ${connectionId}, ${type}, u.local_id, u.remote_id,
           array(select json_array_elements_text(u.fields)), u.local, u.remote, u.local_at, u.remote_at
      from jsonb_to_recordset(${db.json(payload as never)}::jsonb)
           as u(local_id uuid, remote_id text, fields json, local jsonb, remote jsonb, local_at timestamptz, remote_at timestamptz)
    on conflict (connection_id, object_type, local_id) where status = 'open' do update
       set fields = excluded.fields, local_snapshot = excluded.local_snapshot,
           remote_snapshot = excluded.remote_snapshot, remote_id = excluded.remote_id,
           local_changed_at = case when exists (select 1 from unnest(excluded.fields) f where k.local_snapshot -> f is distinct from excluded.local_snapshot -> f)
                                   then excluded.local_changed_at else coalesce(k.local_changed_at, excluded.local_changed_at) end,
           remote_changed_at = case when exists (select 1 from unnest(excluded.fields) f where k.remote_snapshot -> f is distinct from excluded.remote_snapshot -> f)
                                    then excluded.remote_changed_at else coalesce(k.remote_changed_at, excluded.remote_changed_at) end`
}

export interface ConflictRow {
  id: number
  connectionId: string
  objectType: ObjectType
  localId: string
  remoteId: string
  fields: string[]
  local: Fields
  remote: Fields
  status: 'open' | 'resolved' | 'dismissed'
  createdAt: Date
  /** When each side last changed the conflicting fields, as the sync saw it (null: opened before this was kept). */
  localChangedAt: Date | null
  remoteChangedAt: Date | null
}

function toRow(r: Record<string, unknown>): ConflictRow {
  return {
    id: Number(r.id), connectionId: r.connection_id as string, objectType: r.object_type as ObjectType,
    localId: r.local_id as string, remoteId: r.remote_id as string, fields: r.fields as string[],
    local: r.local_snapshot as Fields, remote: r.remote_snapshot as Fields,
    status: r.status as ConflictRow['status'], createdAt: r.created_at as Date,
    localChangedAt: (r.local_changed_at as Date | null) ?? null, remoteChangedAt: (r.remote_changed_at as Date | null) ?? null,
  }
}

/**
 * A page of the open conflicts, oldest first: the queue is worked from the one that has
 * waited longest, and conflicts a sync opens meanwhile join the end instead of pushing the
 * page a person is reading.
 */
export async function listOpenConflicts(db: Db, tenantId: string, page: { limit: number; offset?: number } = { limit: 100 }): Promise<ConflictRow[]> {
  const rows = await db`select * from sync_conflicts where tenant_id = ${tenantId} and status = 'open'
                         order by created_at, id limit ${page.limit} offset ${page.offset ?? 0}`
  return rows.map(toRow)
}

/** The connection's open conflicts with an id above `afterId`, by id: a walk over all of them, a page at a time. */
export async function openConflictsAfter(db: Db, connectionId: string, afterId: number, limit: number): Promise<ConflictRow[]> {
  const rows = await db`select * from sync_conflicts where connection_id = ${connectionId} and status = 'open' and id > ${afterId}
                         order by id limit ${limit}`
  return rows.map(toRow)
}

export async function countOpenConflicts(db: Db, tenantId: string): Promise<number> {
  const [r] = await db`select count(*)::int as n from sync_conflicts where tenant_id = ${tenantId} and status = 'open'`
  return r.n as number
}

/** The connection's open conflicts, however many. */
export async function countConnectionOpenConflicts(db: Db, connectionId: string): Promise<number> {
  const [r] = await db`select count(*)::int as n from sync_conflicts where connection_id = ${connectionId} and status = 'open'`
  return r.n as number
}

export async function getConflict(db: Db, tenantId: string, id: number): Promise<ConflictRow | undefined> {
  const [row] = await db`select * from sync_conflicts where tenant_id = ${tenantId} and id = ${id}`
  return row ? toRow(row) : undefined
}

/**
 * The conflict, its row locked until the transaction ends: a second decision on it (another
 * tab) waits here, then reads the status the first one left.
 */
export async function lockConflict(tx: Tx, tenantId: string, id: number): Promise<ConflictRow | undefined> {
  const [row] = await tx`select * from sync_conflicts where tenant_id = ${tenantId} and id = ${id} for update`
  return row ? toRow(row) : undefined
}

/**
 * Locks, until the transaction ends, the open conflicts of the records behind these CRM ids
 * (by the conflict's own remote id, or the record's link): a sync's page takes them before it
 * reads the records' links, so a person's decision on one of them (decideConflict, which
 * locks its conflict first too) runs wholly before the page's reads or wholly after its
 * writes. Otherwise a decision committed between the two is overwritten: the page writes
 * back the link's old base for the decided field and opens the conflict again. Only open
 * conflicts are locked (a backfill has none, and this is one index scan of the open ones per
 * page); in id order, so two pages over the same records take them in the same order. Under
 * READ COMMITTED a page that waited here for a decision skips the conflict it closed, and
 * its later reads see what the decision wrote.
 */
export async function lockOpenConflictsOf(tx: Db, connectionId: string, type: ObjectType, remoteIds: string[],
  opts: { asSyncWriter?: boolean } = {}): Promise<void> {
  // With the sync writer's settings in the same statement: every page of a backfill runs
  // this, and on the embedded database a round trip of its own cost about a millisecond.
  if (remoteIds.length === 0 && !opts.asSyncWriter) return
  await tx`
    with locked as (
      select k.id from sync_conflicts k
       where k.connection_id = ${connectionId} and k.object_type = ${type} and k.status = 'open'
         and (k.remote_id = any(${remoteIds}::text[])
              or exists (select 1 from crm_links l where l.connection_id = k.connection_id and l.object_type = k.object_type
                            and l.local_id = k.local_id and l.remote_id = any(${remoteIds}::text[])))
       order by k.id
         for update of k)
    select ${opts.asSyncWriter ? syncWriterSettings(tx) : tx`1`}, (select count(*) from locked)`
}

/** Closes an open conflict with a person's decision; false when it was no longer open. */
export async function closeConflict(db: Db, id: number, resolution: unknown): Promise<boolean> {
  const rows = await db`update sync_conflicts set status = 'resolved', resolution = ${db.json(resolution as never)}, resolved_at = now()
                         where id = ${id} and status = 'open' returning id`
  return rows.length === 1
}

/**
 * Why a conflict was closed without a decision: there is no longer a pair of records to
 * reconcile. 'merged': the CRM merged its record into another the app also holds (the app's
 * side went to that record, see lib/crm/pull/merges.ts).
 */
export type DismissReason = 'local_deleted' | 'local_archived' | 'remote_archived' | 'merged'

/**
 * Closes as `dismissed` the open conflicts (all the tenant's, or the one given) whose local
 * record was deleted or archived, or whose CRM record was deleted (its link archived):
 * neither side's value can be applied any more, so they would otherwise wait forever.
 * A conflict comes back by itself if the record does (the next divergence opens a new one).
 */
export async function dismissStaleConflicts(db: Db, tenantId: string, only?: number): Promise<Array<{ id: number; reason: DismissReason }>> {
  const rows = await db`
    with stale as (
      select k.id,
             case when t.id is null then 'local_deleted' when l.archived_at is not null then 'remote_archived' else 'local_archived' end as reason
        from sync_conflicts k
        left join lateral (
          select id, archived_at from contacts where k.object_type = 'contact' and id = k.local_id
          union all select id, archived_at from companies where k.object_type = 'company' and id = k.local_id
          union all select id, archived_at from deals where k.object_type = 'deal' and id = k.local_id
        ) t on true
        left join crm_links l on l.connection_id = k.connection_id and l.object_type = k.object_type and l.local_id = k.local_id
       where k.tenant_id = ${tenantId} and k.status = 'open' ${only === undefined ? db`` : db`and k.id = ${only}`}
         and (t.id is null or t.archived_at is not null or l.archived_at is not null)
    )
    update sync_conflicts k set status = 'dismissed', resolved_at = now(), resolution = jsonb_build_object('dismissed', s.reason)
      from stale s where k.id = s.id and k.status = 'open'
    returning k.id, s.reason`
  return rows.map((r) => ({ id: Number(r.id), reason: r.reason as DismissReason }))
}

/**
 * Closes as `dismissed` the open conflicts of these records, in the caller's transaction:
 * the one that archives them (the pull, a webhook's deletion), so no conflict outlives its
 * record until the dashboard next renders, the push that takes an app-side delete or
 * archive to the CRM, and the pull that follows a merge.
 */
export async function dismissConflictsOf(db: Db, connectionId: string, type: ObjectType, localIds: string[], reason: DismissReason): Promise<number> {
  if (localIds.length === 0) return 0
  const rows = await db`
    update sync_conflicts set status = 'dismissed', resolved_at = now(), resolution = jsonb_build_object('dismissed', ${reason}::text)
     where connection_id = ${connectionId} and object_type = ${type} and local_id = any(${localIds}::uuid[]) and status = 'open'
    returning id`
  return rows.length
}

/**
 * The app's newer values for fields of its open conflicts (the push holds them): they become
 * the app's side of the conflict, so the queue shows what the app holds now and a decision
 * for the app's side applies it, instead of being refused as changed since.
 */
export async function refreshConflictLocals(db: Db, connectionId: string, type: ObjectType,
  edits: Array<{ localId: string; fields: Record<string, string | null>; at: Date }>): Promise<void> {
  for (const e of edits) {
    // A value the conflict did not hold yet is an edit made since the last sync: `at` (the
    // row's updated_at) is when the app made it, as near as is known; the push's own time is
    // later, and "the newer edit wins" would favour the app by however long the push waited.
    await db`update sync_conflicts set local_snapshot = local_snapshot || ${db.json(e.fields as never)}::jsonb,
                local_changed_at = case when exists (select 1 from jsonb_each(${db.json(e.fields as never)}::jsonb) n where local_snapshot -> n.key is distinct from n.value)
                                        then ${e.at}::timestamptz else local_changed_at end
              where connection_id = ${connectionId} and object_type = ${type} and local_id = ${e.localId} and status = 'open'`
  }
}
