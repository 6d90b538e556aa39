import type { ObjectType } from '../crm/types'
import type { Db } from './db'

/** Fields of the given records that wait for a person in an open conflict: the push leaves them alone. */
export async function openConflictFields(db: Db, connectionId: string, type: ObjectType, localIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>()
  if (localIds.length === 0) return out
  const rows = await db`
    select local_id, fields from sync_conflicts
     where connection_id = ${connectionId} and object_type = ${type} and status = 'open' and local_id = any(${localIds}::uuid[])`
  for (const r of rows) out.set(r.local_id, new Set(r.fields as string[]))
  return out
}
