import { columnNumbers, recordColumnNumbers, recordedColumnNumbers, setEntriesOnAllLinks } from '../store/app-columns'
import { COLUMN_OF, fieldOfColumn } from '../store/columns'
import { loadCursor, saveCursor, type Cursor } from '../store/cursors'
import type { Sql } from '../store/db'
import { LOST_ENTRY } from './lost-values'
import type { ObjectType } from './types'

// A mapped column the host app dropped and added again, or renamed away and replaced by a
// new one under its name, holds NULL on every row: not the app's edit, and not what HubSpot
// holds. It is told exactly, not guessed from the values: Postgres gives a column added to a
// table a number (attnum) never used in that table before, so a re-created column's number is
// not the one on record (crm_app_columns), while a column renamed away and back keeps its
// number and its values. Such a field is marked lost on the connection's links
// (lost-values.ts says what that means to the push and the pull), and the next pull lists
// every record again, filling the column from HubSpot.

/** The columns whose loss is followed: the mapped ones, the owner, and (contacts, deals) the company. */
export function followedColumns(type: ObjectType): string[] {
  return [...Object.values(COLUMN_OF[type]).map((c) => c.column), 'owner_id', ...(type === 'company' ? [] : ['company_id'])]
}

/**
 * The link entry a followed column's values are remembered under: its field's, or for
 * company_id the association's ('@company', the company HubSpot associates the record with).
 */
export function entryOfColumn(type: ObjectType, column: string): string {
  return column === 'company_id' ? '@company' : fieldOfColumn(type, column)!
}

/**
 * Compares the numbers on record with the table's now. `recreated`: columns whose number
 * changed. `record`: the numbers to record (a column seen for the first time, or under a new
 * number; one missing and never seen is recorded as 0, so that it counts as re-created once
 * added). A column missing now keeps its number: renamed back, it is the same column.
 */
export function compareColumns(columns: readonly string[], recorded: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): {
  recreated: string[]
  record: Map<string, number>
} {
  const recreated: string[] = []
  const record = new Map<string, number>()
  for (const column of columns) {
    const was = recorded.get(column)
    const is = now.get(column)
    if (is === undefined) {
      if (was === undefined) record.set(column, 0)
    } else if (was !== is) {
      if (was !== undefined) recreated.push(column)
      record.set(column, is)
    }
  }
  return { recreated, record }
}

/** The cursor with a listing of every record from the start (kept: when an unfinished one began, and the extra properties read). */
export function listEverything(cursor: Cursor, now: Date): Cursor {
  const { extra } = cursor.checkpoint
  const startedAt = cursor.checkpoint.full?.startedAt ?? now.toISOString()
  return { checkpoint: { full: { after: null, startedAt }, ...(extra ? { extra } : {}) }, initialDone: cursor.initialDone }
}

/**
 * Before a connection's pull or push of `type` (a run's, a webhook drain's): the columns
 * re-created since it last looked are marked lost on its links and its next listing reads
 * every record. Returns the columns found re-created.
 */
export async function followRecreatedColumns(sql: Sql, connection: { id: string; tenantId: string }, type: ObjectType): Promise<string[]> {
  const columns = followedColumns(type)
  const [recorded, now] = await Promise.all([recordedColumnNumbers(sql, connection.id, type), columnNumbers(sql, type, columns)])
  const { recreated, record } = compareColumns(columns, recorded, now)
  if (record.size === 0) return []
  await sql.begin(async (tx) => {
    if (recreated.length) {
      const lost = Object.fromEntries(recreated.map((c) => [entryOfColumn(type, c), LOST_ENTRY]))
      await setEntriesOnAllLinks(tx, connection.id, type, lost)
      await saveCursor(tx, connection.tenantId, connection.id, type, listEverything(await loadCursor(tx, connection.id, type), new Date()))
    }
    await recordColumnNumbers(tx, connection.tenantId, connection.id, type, record)
  })
  return recreated
}
