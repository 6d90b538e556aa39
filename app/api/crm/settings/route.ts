import { z } from 'zod'
import { changeSettings } from '@/lib/crm/change-settings'
import { decideOpenConflicts } from '@/lib/crm/decide-open-conflicts'
import { settingsChangeSchema, settingsView } from '@/lib/crm/settings'
import { HttpError, readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

const bodySchema = z.strictObject({
  connectionId: z.uuid('connectionId must be a UUID'),
  settings: settingsChangeSchema,
  /** Opt-in: decide the connection's waiting conflicts with the strategy saved (unless it is manual review). */
  decideOpenConflicts: z.boolean().optional(),
})

/** Changes a connection's sync settings (direction, object types, conflict strategy, default country, frequency, extra properties). */
export const POST = route(async (req: Request) => {
  // Room for three lists of 50 property names of up to 100 characters.
  const { connectionId, settings, decideOpenConflicts: decide } = await readJson(req, bodySchema, 32_768)
  const sql = await getSql()
  const updated = await changeSettings(sql, await currentTenantId(), connectionId, settings)
  if (!updated) throw new HttpError(404, 'not_found', 'No such connection')
  const view = { connectionId, settings: settingsView(updated.settings) }
  if (!decide) return Response.json(view)
  const { decided, dismissed, left } = await decideOpenConflicts(sql, updated)
  return Response.json({ ...view, decidedConflicts: decided, dismissedConflicts: dismissed, openConflicts: left })
})
