import { z } from 'zod'
import { connectionDisconnected, liveConnection } from '@/lib/crm/live-connection'
import { readJson, route } from '@/lib/http'
import { disconnectConnection } from '@/lib/store/connections'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

const bodySchema = z.strictObject({ connectionId: z.uuid('connectionId must be a UUID') })

/** Stops syncing and wipes the stored credentials; synced records and history stay. 409 when it already is disconnected. */
export const POST = route(async (req: Request) => {
  const { connectionId } = await readJson(req, bodySchema, 1024)
  const [sql, tenantId] = [await getSql(), await currentTenantId()]
  await liveConnection(sql, connectionId, tenantId)
  // Found above, gone since: another request disconnected it meanwhile.
  if (!(await disconnectConnection(sql, tenantId, connectionId))) throw connectionDisconnected()
  return Response.json({ disconnected: connectionId })
})
