import type { Sql } from '../store/db'
import { isConnectionDisconnected } from './live-connection'
import { runSync, type SyncSummary } from './sync-service'
import type { SyncObjectType } from './types'

/**
 * The push that follows a decision (a person's Apply, or a strategy deciding the waiting
 * conflicts): the decided types synced now, not at the next scheduled sync. A disconnected
 * connection is no failure here: the decision is written in the app and its values wait in
 * the connection's outbox (it survives a disconnect), pushed once the same portal is
 * connected again. Undefined then; runSync's refusal was logged as a failed push.
 */
export async function pushDecided(sql: Sql, connectionId: string, objects: SyncObjectType[], signal: AbortSignal): Promise<SyncSummary | undefined> {
  try {
    return await runSync(sql, { connectionId, trigger: 'manual', objects, signal })
  } catch (e) {
    if (isConnectionDisconnected(e)) return undefined
    throw e
  }
}
