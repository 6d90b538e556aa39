import { z } from 'zod'
import { busyMessage } from '@/lib/crm/busy'
import { parseSettings } from '@/lib/crm/settings'
import { runSync } from '@/lib/crm/sync-service'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import { SYNC_OBJECT_TYPES } from '@/lib/crm/types'
import { HttpError, readJson, route } from '@/lib/http'
import { getTenantConnection, listConnections } from '@/lib/store/connections'
import { getSql } from '@/lib/store/db'
import { leaseHold } from '@/lib/store/lease'
import { currentTenantId } from '@/lib/tenant'

export const maxDuration = 300

const bodySchema = z.strictObject({
  connectionId: z.uuid('connectionId must be a UUID').optional(),
  full: z.boolean().optional(),
  objects: z.array(z.enum(SYNC_OBJECT_TYPES)).min(1).max(SYNC_OBJECT_TYPES.length).optional(),
})

/** Refresh CRM (and "Force sync" per object type): one connection, or all of the workspace's active ones. */
export const POST = route(async (req: Request) => {
  // A long run stops between batches before Vercel ends the function; the cron goes on from there.
  const signal = timeLimitSignal(maxDuration * 1000)
  const body = await readJson(req, bodySchema, 2048)
  const tenantId = await currentTenantId()
  const sql = await getSql()
  let ids: string[]
  if (body.connectionId) {
    const c = await getTenantConnection(sql, tenantId, body.connectionId)
    if (!c || c.status === 'disconnected') throw new HttpError(404, 'not_found', 'No such connection')
    if (c.status === 'needs_reauth') throw new HttpError(409, 'needs_reauth', 'Reconnect this CRM before syncing')
    // Asked by name, a type turned off is an error to say, not a run that quietly does nothing.
    const { entities } = parseSettings(c.settings)
    const off = (body.objects ?? []).filter((t) => !entities[t])
    if (off.length > 0) throw new HttpError(409, 'turned_off', `Turned off in this connection's sync settings: ${off.join(', ')}`)
    ids = [c.id]
  } else {
    ids = (await listConnections(sql, tenantId)).filter((c) => c.status === 'active').map((c) => c.id)
    if (ids.length === 0) throw new HttpError(409, 'no_connection', 'Connect a CRM first')
  }
  const results = []
  for (const connectionId of ids) {
    // A person asked: labels an admin just renamed in HubSpot show after this sync.
    results.push(await runSync(sql, { connectionId, trigger: 'manual', full: body.full, objects: body.objects, signal, rereadOptions: true }))
  }
  if (results.length === 1 && results[0].status === 'busy') {
    // Held by a run whose server stopped mid-way, the lease waits out its expiry: say so.
    throw new HttpError(409, 'busy', busyMessage(await leaseHold(sql, ids[0])))
  }
  return Response.json({ results })
})
