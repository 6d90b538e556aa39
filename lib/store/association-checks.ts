import type { SyncObjectType } from '../crm/types'
import type { Db } from './db'
import { decodeFieldHashes } from './links'

// The daily association check's bookkeeping (sync_cursors.associations_checked_at and
// associations_after) and the links it walks. See lib/crm/pull/association-check.ts.

/**
 * Whether a check is due for this type: one left unfinished (resumed after `after`), or
 * none finished in `everyHours`. A cursor never checked starts its clock now (its records
 * were just read with their associations); no cursor yet, nothing to check.
 */
export async function associationCheckDue(db: Db, connectionId: string, type: SyncObjectType, everyHours: number): Promise<{ after: string | null } | null> {
  const [row] = await db`
    select associations_after, associations_checked_at is null as unstarted,
           associations_checked_at < now() - make_interval(hours => ${everyHours}) as stale
      from sync_cursors where connection_id = ${connectionId} and object_type = ${type}`
  if (!row) return null
  if (row.unstarted) {
    // Written once; every later run only reads.
    await db`update sync_cursors set associations_checked_at = now()
              where connection_id = ${connectionId} and object_type = ${type} and associations_checked_at is null`
    return null
  }
  if (row.associations_after !== null) return { after: row.associations_after as string }
  return row.stale ? { after: null } : null
}

/** Records how far the check got (`after`: the last remote id checked), or that it finished (null). */
export async function saveAssociationCheck(db: Db, connectionId: string, type: SyncObjectType, after: string | null): Promise<void> {
  await db`
    update sync_cursors
       set associations_after = ${after},
           associations_checked_at = case when ${after}::text is null then now() else associations_checked_at end
     where connection_id = ${connectionId} and object_type = ${type}`
}

/** The next `limit` live links after `after`, in remote-id order (the primary key's), with what they remember. */
export async function linksAfter(db: Db, connectionId: string, type: SyncObjectType, after: string | null, limit: number): Promise<Array<{ remoteId: string; fieldHashes: Record<string, string> }>> {
  const rows = await db`
    select remote_id, field_hashes from crm_links
     where connection_id = ${connectionId} and object_type = ${type} and archived_at is null
       and remote_id > ${after ?? ''}
     order by remote_id
     limit ${limit}`
  return rows.map((r) => ({ remoteId: r.remote_id as string, fieldHashes: decodeFieldHashes(r.field_hashes as string) }))
}
