import { runSync } from '@/lib/crm/sync-service'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import type { Sql } from '@/lib/store/db'
import { inBackground } from './background'

/**
 * A new (or re-authorized) connection starts syncing right away, after the response. It
 * runs within the route's own time limit (`maxDurationSeconds`, counted from now): a large
 * portal's first sync stops before it and the cron goes on from there.
 */
export function startInitialSync(sql: Sql, connectionId: string, maxDurationSeconds: number): void {
  const signal = timeLimitSignal(maxDurationSeconds * 1000)
  inBackground(`initial sync of ${connectionId}`, () => runSync(sql, { connectionId, trigger: 'initial', signal }))
}
