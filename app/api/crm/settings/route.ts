import { z } from 'zod'
import { changeSettings } from '@/lib/crm/change-settings'
import { settingsChangeSchema, settingsView } from '@/lib/crm/settings'
import { HttpError, readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

const bodySchema = z.strictObject({ connectionId: z.uuid('connectionId must be a UUID'), settings: settingsChangeSchema })

/** Changes a connection's sync settings (direction, object types, conflict strategy, default country, frequency, extra properties). */
export const POST = route(async (req: Request) => {
  // Room for three lists of 50 property names of up to 100 characters.
  const { connectionId, settings } = await readJson(req, bodySchema, 32_768)
  const updated = await changeSettings(await getSql(), await currentTenantId(), connectionId, settings)
  if (!updated) throw new HttpError(404, 'not_found', 'No such connection')
  return Response.json({ connectionId, settings: settingsView(updated.settings) })
})
