import { z } from 'zod'
import { objectNamesSchema } from '@/lib/crm/object-names'
import { refreshCrm } from '@/lib/crm/refresh'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

export const maxDuration = 300

const bodySchema = z.strictObject({
  connectionId: z.uuid('connectionId must be a UUID').optional(),
  full: z.boolean().optional(),
  // Plural (contacts, as the answer's keys and the CLI's --objects) or singular.
  objects: objectNamesSchema.optional(),
})

/** Refresh CRM (and "Force sync" per object type): one connection, or all of the workspace's active ones. */
export const POST = route(async (req: Request) => {
  // A long run stops between batches before Vercel ends the function; the cron goes on from there.
  const signal = timeLimitSignal(maxDuration * 1000)
  const body = await readJson(req, bodySchema, 2048)
  const tenantId = await currentTenantId()
  const results = await refreshCrm(await getSql(), tenantId, body, signal)
  return Response.json({ results })
})
