import type { Fields, ObjectType } from '../crm/types'
import type { Db } from './db'

export interface ConflictWrite {
  localId: string
  remoteId: string
  fields: string[]
  local: Fields
  remote: Fields
}

/** Opens (or refreshes) the one open conflict per record. */
export async function upsertConflicts(db: Db, tenantId: string, connectionId: string, type: ObjectType, rows: ConflictWrite[]): Promise<void> {
  if (rows.length === 0) return
  const payload = rows.map((r) => ({ local_id: r.localId, remote_id: r.remoteId, fields: r.fields, local: r.local, remote: r.remote }))
  await db`
    insert into sync_conflicts (tenant_id, connection_id, object_type, local_id, remote_id, fields, local_snapshot, remote_snapshot)
    select ${tenantId}, ${connectionId}, ${type}, u.local_id, u.remote_id,
           array(select json_array_elements_text(u.fields)), u.local, u.remote
      from jsonb_to_recordset(${db.json(payload as never)}::jsonb) as u(local_id uuid, remote_id text, fields json, local jsonb, remote jsonb)
    on conflict (connection_id, object_type, local_id) where status = 'open' do update
       set fields = excluded.fields, local_snapshot = excluded.local_snapshot,
           remote_snapshot = excluded.remote_snapshot, remote_id = excluded.remote_id, created_at = now()`
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
}

function toRow(r: Record<string, unknown>): ConflictRow {
  return {
    id: Number(r.id), connectionId: r.connection_id as string, objectType: r.object_type as ObjectType,
    localId: r.local_id as string, remoteId: r.remote_id as string, fields: r.fields as string[],
    local: r.local_snapshot as Fields, remote: r.remote_snapshot as Fields,
    status: r.status as ConflictRow['status'], createdAt: r.created_at as Date,
  }
}

export async function listOpenConflicts(db: Db, tenantId: string, limit = 100): Promise<ConflictRow[]> {
  const rows = await db`select * from sync_conflicts where tenant_id = ${tenantId} and status = 'open' order by created_at desc limit ${limit}`
  return rows.map(toRow)
}

export async function getConflict(db: Db, tenantId: string, id: number): Promise<ConflictRow | undefined> {
  const [row] = await db`select * from sync_conflicts where tenant_id = ${tenantId} and id = ${id}`
  return row ? toRow(row) : undefined
}

export async function closeConflict(db: Db, id: number, resolution: unknown): Promise<void> {
  await db`update sync_conflicts set status = 'resolved', resolution = ${db.json(resolution as never)}, resolved_at = now() where id = ${id}`
}
