import type { RemoteOwner } from '../crm/types'
import type { Db } from './db'

/** Upserts CRM owners; returns how many rows were inserted vs updated. */
export async function upsertOwners(db: Db, tenantId: string, connectionId: string, owners: RemoteOwner[]): Promise<{ created: number; updated: number; createdRemoteIds: string[] }> {
  if (owners.length === 0) return { created: 0, updated: 0, createdRemoteIds: [] }
  const payload = owners.map((o) => ({
    remote_id: o.remoteId, email: o.email, first_name: o.firstName, last_name: o.lastName, user_id: o.userId,
    archived: o.archived, remote_updated_at: o.updatedAt.toISOString(),
  }))
  const rows = await db`
    insert into owners as t (tenant_id, connection_id, remote_id, email, first_name, last_name, user_id, archived_at, remote_updated_at)
    select ${tenantId}, ${connectionId}, u.remote_id, u.email, u.first_name, u.last_name, u.user_id,
           case when u.archived then now() end, u.remote_updated_at
      from jsonb_to_recordset(${db.json(payload as never)}::jsonb)
        as u(remote_id text, email text, first_name text, last_name text, user_id text, archived boolean, remote_updated_at timestamptz)
    on conflict (connection_id, remote_id) do update
       set email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
           user_id = excluded.user_id,
           -- An owner already archived keeps the time it was first seen so: comparing
           -- now() with it made every run count every archived owner as updated.
           archived_at = case when excluded.archived_at is not null then coalesce(t.archived_at, excluded.archived_at) end,
           remote_updated_at = excluded.remote_updated_at, updated_at = now()
     where t.remote_updated_at is distinct from excluded.remote_updated_at
        or (t.archived_at is null) <> (excluded.archived_at is null)
    returning (xmax = 0) as inserted, t.remote_id`
  const createdRemoteIds = rows.flatMap((r) => (r.inserted ? [r.remote_id as string] : []))
  return { created: createdRemoteIds.length, updated: rows.length - createdRemoteIds.length, createdRemoteIds }
}

/**
 * What upsertOwners would write, without writing: the dry run's counts. The same rule as
 * its `where`: a new remote id is created; a stored one is updated when HubSpot's
 * updatedAt or its archived state moved; anything else is unchanged.
 */
export async function ownerChanges(db: Db, connectionId: string, owners: RemoteOwner[]): Promise<{ created: number; updated: number; unchanged: number }> {
  if (owners.length === 0) return { created: 0, updated: 0, unchanged: 0 }
  const rows = await db`select remote_id, remote_updated_at, archived_at is not null as archived from owners
                         where connection_id = ${connectionId} and remote_id = any(${owners.map((o) => o.remoteId)})`
  const stored = new Map(rows.map((r) => [r.remote_id as string, r]))
  let created = 0
  let updated = 0
  for (const o of owners) {
    const s = stored.get(o.remoteId)
    if (!s) created++
    else if ((s.remote_updated_at as Date | null)?.getTime() !== o.updatedAt.getTime() || s.archived !== o.archived) updated++
  }
  return { created, updated, unchanged: owners.length - created - updated }
}

/** Whether the connection holds an owner, not archived, with this CRM id. */
export async function hasLiveOwner(db: Db, connectionId: string, remoteId: string): Promise<boolean> {
  const [row] = await db`select 1 from owners where connection_id = ${connectionId} and remote_id = ${remoteId} and archived_at is null`
  return !!row
}
