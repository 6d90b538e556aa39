import { z } from 'zod'
import { HttpError, readJson, route } from '@/lib/http'
import { disconnectConnection } from '@/lib/store/connections'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

const bodySchema = z.strictObject({ connectionId: z.uuid('connectionId must be a UUID') })

/** Stops syncing and wipes the stored credentials; synced records and history stay. */
export const POST = route(async (req: Request) => {
  const { connectionId } = await readJson(req, bodySchema, 1024)
  if (!(await disconnectConnection(await getSql(), await currentTenantId(), connectionId))) {
    throw new HttpError(404, 'not_found', 'No such connection')
  }
  return Response.json({ disconnected: connectionId })
})
