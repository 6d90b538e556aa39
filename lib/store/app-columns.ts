import type { ObjectType } from '../crm/types'
import { TABLE } from './columns'
import type { Db } from './db'
import { encodeFieldHashes } from './links'

// The app's columns by number (pg_attribute.attnum), as the sync last saw them per connection
// (crm_app_columns): a mapped column dropped and added again has a new number. See
// lib/crm/recreated-columns.ts.

/** The number of each of `columns` in `type`'s table now; a column the table lacks is absent. */
export async function columnNumbers(db: Db, type: ObjectType, columns: string[]): Promise<Map<string, number>> {
  const rows = await db`select a.attname, a.attnum from pg_attribute a
                         where a.attrelid = to_regclass(${`public.${TABLE[type]}`}) and a.attnum > 0 and not a.attisdropped
                           and a.attname = any(${columns}::text[])`
  return new Map(rows.map((r) => [r.attname as string, Number(r.attnum)]))
}

/** The numbers recorded for the connection's `type` table (0: the column was missing then). */
export async function recordedColumnNumbers(db: Db, connectionId: string, type: ObjectType): Promise<Map<string, number>> {
  const rows = await db`select column_name, attnum from crm_app_columns where connection_id = ${connectionId} and object_type = ${type}`
  return new Map(rows.map((r) => [r.column_name as string, Number(r.attnum)]))
}

export async function recordColumnNumbers(db: Db, tenantId: string, connectionId: string, type: ObjectType, numbers: ReadonlyMap<string, number>): Promise<void> {
  if (numbers.size === 0) return
  await db`
    insert into crm_app_columns (connection_id, object_type, column_name, attnum, tenant_id)
    select ${connectionId}, ${type}, c, n, ${tenantId}
      from unnest(${[...numbers.keys()]}::text[], ${[...numbers.values()]}::smallint[]) as x (c, n)
    on conflict (connection_id, object_type, column_name) do update set attnum = excluded.attnum`
}

/** Sets `entries` (field → entry) on every live link of the connection's `type`. Returns how many links. */
export async function setEntriesOnAllLinks(db: Db, connectionId: string, type: ObjectType, entries: Record<string, string>): Promise<number> {
  const [row] = await db`
    with marked as (
      update crm_links set field_hashes = private.merge_field_hashes(field_hashes, ${encodeFieldHashes(entries)}), sync_version = sync_version + 1
       where connection_id = ${connectionId} and object_type = ${type} and archived_at is null
      returning 1)
    select count(*)::int as n from marked`
  return row.n as number
}
