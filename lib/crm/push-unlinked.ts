import type { Sql } from '../store/db'
import { queueUnlinked } from '../store/unlinked'
import { CrmError } from './errors'
import { liveConnection } from './live-connection'
import { parseSettings } from './settings'
import type { ObjectType, SyncObjectType } from './types'

export type UnlinkedCounts = { companies: number; contacts: number; deals: number }

const PUSHED: Array<[ObjectType, keyof UnlinkedCounts]> = [['company', 'companies'], ['contact', 'contacts'], ['deal', 'deals']]

/**
 * Queues the app's rows the connection's CRM has never had, for its next push: live records of
 * the tenant with no link on the connection and nothing waiting (rows written before the CRM
 * was connected, which the first sync did not match by email or phone). Nothing does this on
 * its own: a tenant connecting a CRM may not want every app row created in it. Only the object
 * types the connection syncs (and of those, `objects` when given); `dryRun` counts and queues
 * nothing. The next sync sends them (`npm run sync -- --push-unlinked` does both).
 */
export async function pushUnlinked(sql: Sql, connectionId: string,
  opts: { objects?: SyncObjectType[]; dryRun?: boolean; tenantId?: string } = {}): Promise<UnlinkedCounts> {
  // Asked for a tenant (the API), another tenant's connection is as absent as none.
  const connection = await liveConnection(sql, connectionId, opts.tenantId)
  const settings = parseSettings(connection.settings)
  if (settings.direction === 'pull') {
    throw new CrmError('conflict', 'this connection syncs HubSpot → app only: it sends nothing to the CRM (make it two-way first)')
  }
  const counts: UnlinkedCounts = { companies: 0, contacts: 0, deals: 0 }
  for (const [type, key] of PUSHED) {
    if (!settings.entities[type] || (opts.objects && !opts.objects.includes(type))) continue
    counts[key] = await queueUnlinked(sql, connection.tenantId, connection.id, type, opts.dryRun === true)
  }
  return counts
}
