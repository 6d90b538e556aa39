import { COLUMN_OF } from '../../store/columns'
import type { ObjectType } from '../types'
import type { CoalescedChange } from './coalesce'

// Names in changed_fields that are no column of the table: the deal's contacts, not a column.
const PSEUDO_COLUMNS = new Set(['contacts'])

/**
 * An entry naming a column the table does not have now was queued while the app's schema was
 * different (a mapped column renamed: `title` for `job_title`), and its edit may be in any
 * mapped column once the schema is back. Such a change is compared on every mapped field
 * (the push sends only those that differ from what was last synced), instead of being
 * acknowledged as touching nothing Syncline maps, and so lost.
 */
export function widenUnknownColumns(type: ObjectType, changes: CoalescedChange[], columnsNow: ReadonlySet<string>): CoalescedChange[] {
  const mapped = [...Object.values(COLUMN_OF[type]).map((c) => c.column), 'owner_id']
  return changes.map((c) => {
    const unknown = [...c.columns].some((col) => !columnsNow.has(col) && !PSEUDO_COLUMNS.has(col))
    return unknown ? { ...c, columns: new Set([...c.columns, ...mapped]) } : c
  })
}
