import { z } from 'zod'
import { applySettingsChange, settingsChangeSchema, settingsView } from '@/lib/crm/settings'
import { HttpError, readJson, route } from '@/lib/http'
import { updateSettings } from '@/lib/store/connections'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

const bodySchema = z.strictObject({ connectionId: z.uuid('connectionId must be a UUID'), settings: settingsChangeSchema })

/** Changes a connection's sync settings (direction, object types, conflict strategy, default country, frequency). */
export const POST = route(async (req: Request) => {
  const { connectionId, settings } = await readJson(req, bodySchema, 4096)
  const updated = await updateSettings(await getSql(), await currentTenantId(), connectionId, (stored) => applySettingsChange(stored, settings))
  if (!updated) throw new HttpError(404, 'not_found', 'No such connection')
  return Response.json({ connectionId, settings: settingsView(updated.settings) })
})
