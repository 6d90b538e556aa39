import { listOpenConflicts, type ConflictRow } from '../store/conflicts'
import type { Db } from '../store/db'
import { loadLocalRecords } from '../store/records'
import { appSideNow } from './conflicts/app-side'
import type { ObjectType } from './types'

/**
 * A page of the open conflicts as the queue shows them: each one's app side is the app's row
 * as it is now (conflicts/app-side.ts), so an app edit of a waiting field shows at once, by
 * whatever path it was written, and is what Apply takes. A conflict whose record is gone
 * keeps its stored side (dismissStaleConflicts closes those before the page is read).
 */
export async function conflictsForReview(db: Db, tenantId: string, page: { limit: number; offset?: number }): Promise<ConflictRow[]> {
  const conflicts = await listOpenConflicts(db, tenantId, page)
  const idsOf = new Map<ObjectType, string[]>()
  for (const c of conflicts) idsOf.set(c.objectType, [...(idsOf.get(c.objectType) ?? []), c.localId])
  const rows = await Promise.all([...idsOf].map(async ([type, ids]) => [type, await loadLocalRecords(db, tenantId, type, ids)] as const))
  const current = new Map(rows)
  return conflicts.map((c) => {
    const row = current.get(c.objectType)?.get(c.localId)
    return row ? { ...c, local: appSideNow(c.fields, c.local, row.fields) } : c
  })
}
