import { z } from 'zod'
import { saveNangoConnection } from '@/lib/crm/nango-flow'
import { publicConnection } from '@/lib/crm/status'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'
import { startInitialSync } from '../../../_shared/initial-sync'

// The initial sync runs after the response, within this limit (see startInitialSync).
export const maxDuration = 300

// Connect UI's `connect` event: {type:'connect', payload:{providerConfigKey, connectionId}}.
const bodySchema = z.strictObject({ connectionId: z.string().min(1).max(255), providerConfigKey: z.string().min(1).max(255) })

export const POST = route(async (req: Request) => {
  const body = await readJson(req, bodySchema, 2048)
  const sql = await getSql()
  const { connection, created } = await saveNangoConnection(sql, await currentTenantId(), body)
  if (created) startInitialSync(sql, connection.id, maxDuration)
  return Response.json({ connection: publicConnection(connection) }, { status: created ? 201 : 200 })
})
