import type { ObjectType } from '../crm/types'
import type { Db } from './db'

export interface Link {
  localId: string
  remoteId: string
  remoteUpdatedAt: Date | null
  syncedHash: string | null
  fieldHashes: Record<string, string>
  origin: 'crm' | 'app'
  archivedAt: Date | null
  lastDirection: 'pull' | 'push' | null
}

// Field hashes are stored as "field:hash,field:hash" (see the crm_links_field_hashes_text
// migration): field names and hashes never contain ',' or ':'.
export function encodeFieldHashes(hashes: Record<string, string>): string {
  let out = ''
  for (const key in hashes) {
    const value = hashes[key]
    if (/[,:]/.test(key) || /[,:]/.test(value)) throw new Error(`field hash entry cannot be stored: ${key}`)
    out += (out ? ',' : '') + key + ':' + value
  }
  return out
}

export function decodeFieldHashes(text: string | null): Record<string, string> {
  const hashes: Record<string, string> = {}
  if (!text) return hashes
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':')
    hashes[entry.slice(0, colon)] = entry.slice(colon + 1)
  }
  return hashes
}

function toLink(r: Record<string, unknown>): Link {
  return {
    localId: r.local_id as string,
    remoteId: r.remote_id as string,
    remoteUpdatedAt: (r.remote_updated_at as Date | null) ?? null,
    syncedHash: (r.synced_hash as string | null) ?? null,
    fieldHashes: decodeFieldHashes(r.field_hashes as string | null),
    origin: r.origin as 'crm' | 'app',
    archivedAt: (r.archived_at as Date | null) ?? null,
    lastDirection: (r.last_direction as 'pull' | 'push' | null) ?? null,
  }
}

export async function loadLinksByRemote(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<Map<string, Link>> {
  if (remoteIds.length === 0) return new Map()
  const rows = await db`
    select local_id, remote_id, remote_updated_at, synced_hash, field_hashes, origin, archived_at, last_direction
      from crm_links
     where connection_id = ${connectionId} and object_type = ${type} and remote_id = any(${remoteIds}::text[])`
  return new Map(rows.map((r) => [r.remote_id as string, toLink(r)]))
}

export async function loadLinksByLocal(db: Db, connectionId: string, type: ObjectType, localIds: string[]): Promise<Map<string, Link>> {
  if (localIds.length === 0) return new Map()
  const rows = await db`
    select local_id, remote_id, remote_updated_at, synced_hash, field_hashes, origin, archived_at, last_direction
      from crm_links
     where connection_id = ${connectionId} and object_type = ${type} and local_id = any(${localIds}::uuid[])`
  return new Map(rows.map((r) => [r.local_id as string, toLink(r)]))
}

/**
 * Of the given CRM ids, those linked on this connection, with the app's record each is
 * linked to and its name where the app has one (a contact's full name, else its email; a
 * company's or deal's name): for a reason that names the record.
 */
export async function linkHolders(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<Map<string, { localId: string; name: string | null }>> {
  if (remoteIds.length === 0) return new Map()
  const rows = await db`
    select l.remote_id, l.local_id,
           coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, co.name, d.name) as name
      from crm_links l
      left join contacts c on l.object_type = 'contact' and c.id = l.local_id
      left join companies co on l.object_type = 'company' and co.id = l.local_id
      left join deals d on l.object_type = 'deal' and d.id = l.local_id
     where l.connection_id = ${connectionId} and l.object_type = ${type} and l.remote_id = any(${remoteIds}::text[])`
  return new Map(rows.map((r) => [r.remote_id as string, { localId: r.local_id as string, name: (r.name as string | null) ?? null }]))
}

export interface LinkWrite {
  localId: string
  remoteId: string
  remoteUpdatedAt: Date
  syncedHash: string
  fieldHashes: Record<string, string>
  origin: 'crm' | 'app'
  matchReason: 'link' | 'email' | 'phone' | 'created' | 'pushed'
  direction: 'pull' | 'push'
}

/**
 * Upserts links. An older remote state never overwrites a newer one: the update only
 * wins when its remote timestamp is at least the stored one (events arrive out of order).
 * `merge`: an existing link keeps its field entries that the write does not name (the push,
 * which names only those it sent, read the link long before it writes: see pushOutbox).
 */
export async function upsertLinks(db: Db, tenantId: string, connectionId: string, type: ObjectType, links: LinkWrite[],
  opts: { merge?: boolean } = {}): Promise<void> {
  if (links.length === 0) return
  // Positional rows, as in upsertRecords (records.ts).
  const payload = links.map((l) => [
    l.localId, l.remoteId, l.remoteUpdatedAt.toISOString(), l.syncedHash, encodeFieldHashes(l.fieldHashes), l.origin, l.matchReason, l.direction,
  ])
  await db`
    insert into crm_links as k (tenant_id, connection_id, object_type, local_id, remote_id, remote_updated_at,
                                synced_hash, field_hashes, last_direction, last_synced_at, origin, match_reason)
    select ${tenantId}, ${connectionId}, ${type}, (e->>0)::uuid, e->>1, (e->>2)::timestamptz, e->>3, e->>4, e->>7, now(), e->>5, e->>6
      from jsonb_array_elements(${db.json(payload as never)}::jsonb) as e
    on conflict (connection_id, object_type, remote_id) do update
       set local_id = excluded.local_id, remote_updated_at = excluded.remote_updated_at,
           synced_hash = excluded.synced_hash,
           field_hashes = ${opts.merge ? db`private.merge_field_hashes(k.field_hashes, excluded.field_hashes)` : db`excluded.field_hashes`},
           last_direction = excluded.last_direction, last_synced_at = now(),
           sync_version = k.sync_version + 1, archived_at = null
     where k.remote_updated_at is null or excluded.remote_updated_at >= k.remote_updated_at`
}

/** Marks links archived (the remote record was deleted); returns those it archived now (live until then). */
export async function archiveLinks(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<Array<{ localId: string; remoteId: string }>> {
  if (remoteIds.length === 0) return []
  const rows = await db`
    update crm_links set archived_at = now(), sync_version = sync_version + 1
     where connection_id = ${connectionId} and object_type = ${type} and remote_id = any(${remoteIds}::text[])
       and archived_at is null
    returning local_id, remote_id`
  return rows.map((r) => ({ localId: r.local_id as string, remoteId: r.remote_id as string }))
}

/** Records that these links' last sync was a pull (an echo of our own push, seen once). */
export async function markPulled(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return
  await db`update crm_links set last_direction = 'pull'
            where connection_id = ${connectionId} and object_type = ${type} and remote_id = any(${remoteIds}::text[])`
}

/** Points a link at another remote record (the CRM merged its record into that one). */
export async function repointLink(db: Db, connectionId: string, type: ObjectType, fromRemoteId: string, toRemoteId: string): Promise<void> {
  await db`update crm_links set remote_id = ${toRemoteId}, synced_hash = null, sync_version = sync_version + 1
            where connection_id = ${connectionId} and object_type = ${type} and remote_id = ${fromRemoteId}`
}

export async function deleteLink(db: Db, connectionId: string, type: ObjectType, remoteId: string): Promise<void> {
  await deleteLinks(db, connectionId, type, [remoteId])
}

/** The links to these CRM ids, gone: one statement for a push call's deletes, not one each. */
export async function deleteLinks(db: Db, connectionId: string, type: ObjectType, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return
  await db`delete from crm_links where connection_id = ${connectionId} and object_type = ${type} and remote_id = any(${remoteIds}::text[])`
}

/** Sets a link's last-synced entries for some fields (a review decided them: the CRM's values the person saw). */
export async function mergeFieldHashes(db: Db, connectionId: string, type: ObjectType, localId: string, hashes: Record<string, string>): Promise<void> {
  if (Object.keys(hashes).length === 0) return
  await db`update crm_links set field_hashes = private.merge_field_hashes(field_hashes, ${encodeFieldHashes(hashes)})
            where connection_id = ${connectionId} and object_type = ${type} and local_id = ${localId}`
}

/** Of the given local ids, those of live local records with no link on this connection. */
export async function unlinkedLocalIds(db: Db, tenantId: string, connectionId: string, type: ObjectType, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const table = { contact: 'contacts', company: 'companies', deal: 'deals' }[type]
  const rows = await db.unsafe(
    `select t.id from public.${table} t
      where t.tenant_id = $1 and t.id = any($3::uuid[]) and t.archived_at is null
        and not exists (select 1 from public.crm_links l where l.connection_id = $2 and l.object_type = $4 and l.local_id = t.id)`,
    [tenantId, connectionId, ids, type],
  )
  return new Set(rows.map((r) => r.id as string))
}

/**
 * "Send to HubSpot again" for a contact HubSpot deleted (its link archived, the lead kept:
 * a manual lead is never deleted by the sync): its archived links on connections still in
 * use go, and an insert entry per connection is queued, so the next push creates it there as
 * for any unlinked lead. Returns the number of connections it was queued for (0: the contact
 * is not live, or no connection's link to it is archived).
 */
export async function resendDeletedContact(db: Db, tenantId: string, localId: string): Promise<number> {
  const rows = await db`
    with gone as (
      delete from crm_links l using crm_connections cc
       where cc.id = l.connection_id and cc.tenant_id = ${tenantId} and cc.status <> 'disconnected'
         and l.object_type = 'contact' and l.local_id = ${localId} and l.archived_at is not null
         and exists (select 1 from contacts c where c.id = ${localId} and c.tenant_id = ${tenantId} and c.archived_at is null)
      returning l.connection_id)
    insert into crm_outbox (tenant_id, connection_id, object_type, local_id, op, changed_fields)
    select ${tenantId}, connection_id, 'contact', ${localId}, 'insert', '{}'::text[] from gone
    returning id`
  return rows.length
}

/**
 * A live contact of the tenant whose record HubSpot deleted as a disconnected connection last
 * saw it (its link there archived): what resendDeletedContact leaves alone, the connection
 * not in use.
 */
export async function deletedContactOnDisconnected(db: Db, tenantId: string, localId: string): Promise<boolean> {
  const [row] = await db`
    select 1 from crm_links l join crm_connections cc on cc.id = l.connection_id
     where cc.tenant_id = ${tenantId} and cc.status = 'disconnected'
       and l.object_type = 'contact' and l.local_id = ${localId} and l.archived_at is not null
       and exists (select 1 from contacts c where c.id = ${localId} and c.tenant_id = ${tenantId} and c.archived_at is null)
     limit 1`
  return row !== undefined
}
