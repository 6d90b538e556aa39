import { HttpError } from '../http'
import { listConnections } from '../store/connections'
import type { Sql } from '../store/db'
import { leaseHold } from '../store/lease'
import { busyMessage } from './busy'
import { liveConnection } from './live-connection'
import { parseSettings } from './settings'
import { runSync, type SyncSummary } from './sync-service'
import type { SyncObjectType } from './types'

export interface RefreshRequest {
  /** One connection of the tenant; all its active ones when left out. */
  connectionId?: string
  full?: boolean
  objects?: SyncObjectType[]
}

/** The connections a refresh syncs, or why it cannot (404, 409 with the reason). */
async function connectionsToRefresh(sql: Sql, tenantId: string, req: RefreshRequest): Promise<string[]> {
  if (!req.connectionId) {
    const ids = (await listConnections(sql, tenantId)).filter((c) => c.status === 'active').map((c) => c.id)
    if (ids.length === 0) throw new HttpError(409, 'no_connection', 'Connect a CRM first')
    return ids
  }
  const c = await liveConnection(sql, req.connectionId, tenantId)
  if (c.status === 'needs_reauth') throw new HttpError(409, 'needs_reauth', 'Reconnect this CRM before syncing')
  // Asked by name, a type turned off is an error to say, not a run that quietly does nothing.
  const { entities } = parseSettings(c.settings)
  const off = (req.objects ?? []).filter((t) => !entities[t])
  if (off.length > 0) throw new HttpError(409, 'turned_off', `Turned off in this connection's sync settings: ${off.join(', ')}`)
  return [c.id]
}

/**
 * Refresh CRM (and "Force sync" per object type): the tenant's connection, or each of its
 * active ones in turn, synced now. A person asked, so labels an admin just renamed in
 * HubSpot show after this sync. One connection whose lease is held is a 409 saying what
 * the lease tells (a run whose server stopped mid-way holds it until it expires).
 */
export async function refreshCrm(sql: Sql, tenantId: string, req: RefreshRequest, signal: AbortSignal): Promise<SyncSummary[]> {
  const ids = await connectionsToRefresh(sql, tenantId, req)
  const results: SyncSummary[] = []
  for (const connectionId of ids) {
    results.push(await runSync(sql, { connectionId, trigger: 'manual', full: req.full, objects: req.objects, signal, rereadOptions: true }))
  }
  if (results.length === 1 && results[0].status === 'busy') throw new HttpError(409, 'busy', busyMessage(await leaseHold(sql, ids[0])))
  return results
}
