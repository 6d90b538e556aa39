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
  // Per type and connection: the row's owner is read as the conflict's connection knows it.
  const groups = new Map<string, { type: ObjectType; connectionId: string; ids: string[] }>()
  for (const c of conflicts) {
    const key = `${c.objectType} ${c.connectionId}`
    const g = groups.get(key) ?? { type: c.objectType, connectionId: c.connectionId, ids: [] }
    g.ids.push(c.localId)
    groups.set(key, g)
  }
  const rows = await Promise.all([...groups].map(async ([key, g]) => [key, await loadLocalRecords(db, tenantId, g.connectionId, g.type, g.ids)] as const))
  const current = new Map(rows)
  return conflicts.map((c) => {
    const row = current.get(`${c.objectType} ${c.connectionId}`)?.get(c.localId)
    return row ? { ...c, local: appSideNow(c.fields, c.local, row.fields) } : c
  })
}
