import type { RemoteOwner } from '../crm/types'
import type { Db } from './db'

/** What writing a page of owners did: rows inserted, updated, and (live before) archived by it. */
export interface OwnerWriteCounts { created: number; updated: number; archived: number }

/**
 * Upserts CRM owners; returns how many rows were inserted, archived (live here, deactivated
 * in HubSpot) and otherwise updated, and the owners rows (ids) whose email this changed:
 * followOwnerEmails gives it to their records.
 */
export async function upsertOwners(db: Db, tenantId: string, connectionId: string, owners: RemoteOwner[]): Promise<OwnerWriteCounts & { createdRemoteIds: string[]; emailChanged: string[] }> {
  if (owners.length === 0) return { created: 0, updated: 0, archived: 0, createdRemoteIds: [], emailChanged: [] }
  const payload = owners.map((o) => ({
    remote_id: o.remoteId, email: o.email, first_name: o.firstName, last_name: o.lastName, user_id: o.userId,
    archived: o.archived, remote_updated_at: o.updatedAt.toISOString(),
  }))
  // Every sub-statement sees the table as it was before the statement: `before` holds the
  // emails the upsert replaces.
  const rows = await db`
    with before as (select remote_id, email, archived_at from owners
                     where connection_id = ${connectionId} and remote_id = any(${owners.map((o) => o.remoteId)})),
    w as (
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
        -- Records carry the email (followOwnerEmails): a new one is written even should
        -- HubSpot's updatedAt not have moved with it.
        or t.email is distinct from excluded.email
    returning (xmax = 0) as inserted, t.id, t.remote_id, t.email, t.archived_at)
    select w.inserted, w.id, w.remote_id, b.email is distinct from w.email as email_changed,
           b.remote_id is not null and b.archived_at is null and w.archived_at is not null as archived_now
      from w left join before b on b.remote_id = w.remote_id`
  const createdRemoteIds = rows.flatMap((r) => (r.inserted ? [r.remote_id as string] : []))
  const emailChanged = rows.flatMap((r) => (!r.inserted && r.email_changed ? [r.id as string] : []))
  const archived = rows.filter((r) => r.archived_now).length
  return { created: createdRemoteIds.length, updated: rows.length - createdRemoteIds.length - archived, archived, createdRemoteIds, emailChanged }
}

/**
 * Records carry their owner's email (owner_email, which the leads list shows and host apps
 * read), and a record HubSpot did not change is not written by the pull: an owner whose
 * email changed would keep the old one on every record until each changed in HubSpot. So the
 * owners' live records take it here, in the owners' transaction. Owners rows are per
 * connection (`ownerIds` are this tenant's own), so another connection's or tenant's records,
 * whose owner is another row even for the same HubSpot id, are not touched. Called as the
 * sync writer: owner_email is never pushed (the outbox ignores it), and updated_at stays the
 * app's last edit (20261202110000_owner_email_alone_keeps_updated_at.sql). Each table has an
 * index on owner_id (20261202161000_reference_indexes.sql) to find those owners' rows by,
 * rather than reading all the tenant's. Returns how many records took the new email.
 */
export async function followOwnerEmails(db: Db, tenantId: string, ownerIds: string[]): Promise<number> {
  if (ownerIds.length === 0) return 0
  const [row] = await db.unsafe(followOwnerEmailsSql, [tenantId, ownerIds])
  return Number(row.followed)
}

const followOwnerEmailsSql = `with ${['contacts', 'companies', 'deals'].map((table) => `${table}_followed as (
    update public.${table} t set owner_email = o.email
      from public.owners o
     where o.id = any($2::uuid[]) and o.tenant_id = $1
       and t.tenant_id = $1 and t.owner_id = o.id and t.archived_at is null and t.owner_email is distinct from o.email
    returning 1)`).join(',\n  ')}
  select (select count(*) from contacts_followed) + (select count(*) from companies_followed) + (select count(*) from deals_followed) as followed`

/**
 * What upsertOwners would write, without writing: the dry run's counts. The same rule as
 * its `where`: a new remote id is created; a live one HubSpot lists as archived is archived;
 * a stored one is otherwise updated when HubSpot's updatedAt, its archived state or its email
 * moved; anything else is unchanged.
 */
export async function ownerChanges(db: Db, connectionId: string, owners: RemoteOwner[]): Promise<OwnerWriteCounts & { unchanged: number }> {
  if (owners.length === 0) return { created: 0, updated: 0, archived: 0, unchanged: 0 }
  const rows = await db`select remote_id, remote_updated_at, archived_at is not null as archived, email from owners
                         where connection_id = ${connectionId} and remote_id = any(${owners.map((o) => o.remoteId)})`
  const stored = new Map(rows.map((r) => [r.remote_id as string, r]))
  let created = 0
  let updated = 0
  let archived = 0
  for (const o of owners) {
    const s = stored.get(o.remoteId)
    if (!s) created++
    else if (!s.archived && o.archived) archived++
    else if ((s.remote_updated_at as Date | null)?.getTime() !== o.updatedAt.getTime() || s.archived !== o.archived || s.email !== o.email) updated++
  }
  return { created, updated, archived, unchanged: owners.length - created - updated - archived }
}

/**
 * The connection's owners not archived here that HubSpot lists neither as active
 * (GET /crm/v3/owners, archived=false) nor as deactivated (archived=true): marked archived
 * (their records keep them as owner, as HubSpot's do). A deactivated owner is archived by
 * its own listing (upsertOwners); this is for one gone from both, should HubSpot ever drop
 * one (UNVERIFIED: its documentation says nothing of owners leaving both lists). `listed`
 * is every remote id of both complete listings. A dry run only counts them. None on an
 * empty list: a portal always has a user (its super admin), so none listed is something
 * else than every user gone.
 * https://developers.hubspot.com/docs/api/crm/owners
 */
export async function archiveUnlistedOwners(db: Db, connectionId: string, listed: string[], dryRun: boolean): Promise<number> {
  if (listed.length === 0) return 0
  const [row] = dryRun
    ? await db`select count(*) as n from owners
                where connection_id = ${connectionId} and archived_at is null and remote_id <> all(${listed})`
    : await db`with archived as (
                 update owners set archived_at = now(), updated_at = now()
                  where connection_id = ${connectionId} and archived_at is null and remote_id <> all(${listed})
                 returning 1)
               select count(*) as n from archived`
  return Number(row.n)
}

/** Whether the connection holds an owner, not archived, with this CRM id. */
export async function hasLiveOwner(db: Db, connectionId: string, remoteId: string): Promise<boolean> {
  const [row] = await db`select 1 from owners where connection_id = ${connectionId} and remote_id = ${remoteId} and archived_at is null`
  return !!row
}
