import { runSync } from '@/lib/crm/sync-service'
import type { Sql } from '@/lib/store/db'
import { inBackground } from './background'

/** A new (or re-authorized) connection starts syncing right away, after the response. */
export function startInitialSync(sql: Sql, connectionId: string): void {
  inBackground(`initial sync of ${connectionId}`, () => runSync(sql, { connectionId, trigger: 'initial' }))
}
