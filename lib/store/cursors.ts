import { z } from 'zod'
import type { SyncObjectType } from '../crm/types'
import type { Db } from './db'

// Where a run stopped, per connection and object type. Parsed, never cast: a cursor
// written by an older version that no longer parses starts a fresh full sync.
export const checkpointSchema = z.object({
  /** An unfinished full listing: the next page's cursor and when the listing began. */
  full: z.object({ after: z.string().nullable(), startedAt: z.iso.datetime() }).optional(),
  /** Incremental: everything modified before this was seen (minus the lookback). */
  watermark: z.iso.datetime().optional(),
  /** An unfinished incremental window. */
  window: z
    .object({
      since: z.iso.datetime(),
      after: z.string().nullable(),
      maxSeen: z.iso.datetime().optional(),
      tieBreak: z.object({ at: z.iso.datetime(), afterId: z.string() }).optional(),
    })
    .optional(),
  /**
   * The extra properties (settings.extraProperties) the stored records were read with;
   * unset: none. When the setting changes, the next run lists every record again.
   */
  extra: z.array(z.string()).optional(),
})
export type Checkpoint = z.infer<typeof checkpointSchema>

export interface Cursor {
  checkpoint: Checkpoint
  initialDone: boolean
}

export async function loadCursor(db: Db, connectionId: string, type: SyncObjectType): Promise<Cursor> {
  const [row] = await db`select checkpoint, initial_done from sync_cursors where connection_id = ${connectionId} and object_type = ${type}`
  if (!row) return { checkpoint: {}, initialDone: false }
  const parsed = checkpointSchema.safeParse(row.checkpoint)
  return parsed.success ? { checkpoint: parsed.data, initialDone: row.initial_done } : { checkpoint: {}, initialDone: false }
}

export async function saveCursor(db: Db, tenantId: string, connectionId: string, type: SyncObjectType, cursor: Cursor): Promise<void> {
  const checkpoint = checkpointSchema.parse(cursor.checkpoint)
  await db`
    insert into sync_cursors (tenant_id, connection_id, object_type, checkpoint, initial_done, updated_at)
    values (${tenantId}, ${connectionId}, ${type}, ${db.json(checkpoint)}, ${cursor.initialDone}, now())
    on conflict (connection_id, object_type) do update
       set checkpoint = excluded.checkpoint, initial_done = excluded.initial_done, updated_at = now()`
}
