import { z } from 'zod'
import { objectNamesSchema } from '@/lib/crm/object-names'
import { pushUnlinked } from '@/lib/crm/push-unlinked'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

const bodySchema = z.strictObject({
  connectionId: z.uuid('connectionId must be a UUID'),
  // Plural (contacts, as the CLI's --objects) or singular; default every type the connection syncs.
  objects: objectNamesSchema.optional(),
  dryRun: z.boolean().optional(),
})

/**
 * Queues the app's live records the connection's CRM has never had (rows written before it
 * was connected that matched no CRM record) for its next sync to create there; answers how
 * many per type. `dryRun`: counts, queues nothing. See lib/crm/push-unlinked.ts.
 */
export const POST = route(async (req: Request) => {
  const body = await readJson(req, bodySchema, 1024)
  const tenantId = await currentTenantId()
  const queued = await pushUnlinked(await getSql(), body.connectionId, { objects: body.objects, dryRun: body.dryRun, tenantId })
  return Response.json({ queued, dryRun: body.dryRun === true })
})
