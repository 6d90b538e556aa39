import type { ObjectType } from '../crm/types'
import { TABLE } from './columns'
import type { Db } from './db'
import { decodeFieldHashes } from './links'

// What points at a record the CRM merged away follows the record it was merged into (see
// lib/crm/pull/merges.ts). All of it runs in the page transaction, as the sync writer: the
// CRM already holds the merge, so nothing here is pushed back.

/**
 * Contacts' and deals' links that remember company `fromRemoteId` ('@company:#<id>', see
 * lib/crm/reference-entry.ts) remember `toRemoteId` instead: the CRM moved those
 * associations itself, so the pull must not read the survivor as a change, and a push
 * that takes the company off must name the company that is there. A scan of the
 * connection's links: merges are rare, and nothing indexes an entry.
 */
export async function repointCompanyEntries(db: Db, connectionId: string, fromRemoteId: string, toRemoteId: string): Promise<void> {
  await db`
    update crm_links
       set field_hashes = trim(both ',' from replace(',' || field_hashes || ',', ${`,@company:#${fromRemoteId},`}, ${`,@company:#${toRemoteId},`}))
     where connection_id = ${connectionId} and object_type in ('contact', 'deal')
       and private.entry_names(field_hashes, '@company', ${fromRemoteId})`
}

/** Deals' links whose '@contacts' list names contact `remoteId`: their local ids and that entry. */
export async function dealsListingContact(db: Db, connectionId: string, remoteId: string): Promise<Array<{ localId: string; entry: string }>> {
  const rows = await db`
    select local_id, field_hashes from crm_links
     where connection_id = ${connectionId} and object_type = 'deal'
       and ${remoteId} = any(private.listed_contacts(field_hashes))`
  return rows.map((r) => ({ localId: r.local_id as string, entry: decodeFieldHashes(r.field_hashes as string)['@contacts'] }))
}

/**
 * References still waiting for a merged-away id (crm_pending_refs) wait for its survivor
 * instead. One statement for a page's merges; returns the merged-away ids that had any.
 */
export async function repointPendingRefs(db: Db, connectionId: string, kind: 'company' | 'contact',
  merges: Array<{ from: string; to: string }>): Promise<Set<string>> {
  if (merges.length === 0) return new Set()
  const rows = await db`
    with pairs as (select * from unnest(${merges.map((m) => m.from)}::text[], ${merges.map((m) => m.to)}::text[]) as p(from_id, to_id)),
    moved as (
      delete from crm_pending_refs d using pairs p
       where d.connection_id = ${connectionId} and d.kind = ${kind} and d.remote_id = p.from_id
      returning d.connection_id, d.kind, p.from_id, p.to_id, d.object_type, d.local_id, d.tenant_id),
    kept as (
      insert into crm_pending_refs (connection_id, kind, remote_id, object_type, local_id, tenant_id)
      select connection_id, kind, to_id, object_type, local_id, tenant_id from moved
      on conflict do nothing)
    select distinct from_id from moved`
  return new Set(rows.map((r) => r.from_id as string))
}

/**
 * The app held both records of a merge, and `fromLocalId` (the merged-away one's) is being
 * archived: the app's own references to it move to `toLocalId`. A company's contacts and
 * deals take the survivor as their company; a contact's deals list the survivor instead.
 * Returns how many records moved.
 */
export async function followMergedRecord(db: Db, tenantId: string, type: ObjectType, fromLocalId: string, toLocalId: string): Promise<number> {
  if (type === 'company') {
    const [row] = await db`
      with c as (update contacts set company_id = ${toLocalId} where tenant_id = ${tenantId} and company_id = ${fromLocalId} returning 1),
           d as (update deals set company_id = ${toLocalId} where tenant_id = ${tenantId} and company_id = ${fromLocalId} returning 1)
      select (select count(*) from c)::int + (select count(*) from d)::int as moved`
    return row.moved as number
  }
  if (type === 'contact') {
    const [row] = await db`
      with gone as (delete from deal_contacts where tenant_id = ${tenantId} and contact_id = ${fromLocalId} returning deal_id),
           added as (insert into deal_contacts (tenant_id, deal_id, contact_id)
                     select ${tenantId}, deal_id, ${toLocalId} from gone
                     on conflict do nothing returning 1)
      select (select count(*) from gone)::int as moved`
    return row.moved as number
  }
  return 0 // nothing in the app points at a deal
}

/**
 * The company the app gave a merged-away record (not pushed yet) becomes the survivor's
 * local record's, written as the sync: the caller queues it for the push itself.
 */
export async function carryCompany(db: Db, tenantId: string, type: 'contact' | 'deal', localId: string, companyId: string | null): Promise<void> {
  await db.unsafe(`update public.${TABLE[type]} set company_id = $3 where tenant_id = $1 and id = $2`, [tenantId, localId, companyId])
}

/**
 * The contacts the app lists on a merged-away deal are listed on the survivor's local deal
 * too (the app's edit of that list was not pushed yet), written as the sync: the caller
 * queues the survivor for the push itself. The app's removals from the merged-away deal are
 * what is missing from its rows; the push takes those off in the CRM.
 */
export async function carryDealContacts(db: Db, tenantId: string, fromDealId: string, toDealId: string): Promise<void> {
  await db`insert into deal_contacts (tenant_id, deal_id, contact_id)
           select ${tenantId}, ${toDealId}, contact_id from deal_contacts where tenant_id = ${tenantId} and deal_id = ${fromDealId}
           on conflict do nothing`
}

/**
 * Remembers CRM ids merged into others (crm_merged_away), so a stale read of one never imports
 * it again. A survivor lists its merged-away ids every time it is read, so most calls find them
 * remembered already: those rows are left alone, and the first survivor (the record that
 * absorbed the id; a later one merged that survivor in turn) stays recorded.
 */
export async function rememberMergedAway(db: Db, tenantId: string, connectionId: string, type: ObjectType,
  merges: Array<{ from: string; to: string }>): Promise<void> {
  if (merges.length === 0) return
  await db`
    insert into crm_merged_away (connection_id, object_type, remote_id, survivor_remote_id, tenant_id)
    select ${connectionId}, ${type}, m.from_id, m.to_id, ${tenantId}
      from unnest(${merges.map((m) => m.from)}::text[], ${merges.map((m) => m.to)}::text[]) as m(from_id, to_id)
    on conflict (connection_id, object_type, remote_id) do nothing`
}

/** Every CRM id of this type the connection has seen merged away (merges are rare: the set stays small). */
export async function mergedAwayIds(db: Db, connectionId: string, type: ObjectType): Promise<Set<string>> {
  const rows = await db`select remote_id from crm_merged_away where connection_id = ${connectionId} and object_type = ${type}`
  return new Set(rows.map((r) => r.remote_id as string))
}
