import { z } from 'zod'
import { changeSettings } from '@/lib/crm/change-settings'
import { decideOpenConflicts } from '@/lib/crm/decide-open-conflicts'
import { pushDecided } from '@/lib/crm/push-decided'
import { settingsChangeSchema, settingsView } from '@/lib/crm/settings'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { recordsToSend } from '@/lib/store/outbox'
import { currentTenantId } from '@/lib/tenant'
import { inBackground } from '../../_shared/background'

// Deciding the waiting conflicts, and the push that follows them after the response, run within this limit.
export const maxDuration = 300

const bodySchema = z.strictObject({
  connectionId: z.uuid('connectionId must be a UUID'),
  settings: settingsChangeSchema,
  /** Opt-in: decide the connection's waiting conflicts with the strategy saved (unless it is manual review). */
  decideOpenConflicts: z.boolean().optional(),
})

/** Changes a connection's sync settings (direction, object types, conflict strategy, default country, frequency, extra properties). */
export const POST = route(async (req: Request) => {
  const signal = timeLimitSignal(maxDuration * 1000)
  // Deciding gets half the time: the push that takes the chosen values to HubSpot has the rest.
  const decideSignal = timeLimitSignal(maxDuration * 500)
  // Room for three lists of 50 property names of up to 100 characters.
  const { connectionId, settings, decideOpenConflicts: decide } = await readJson(req, bodySchema, 32_768)
  const sql = await getSql()
  const updated = await changeSettings(sql, await currentTenantId(), connectionId, settings)
  // A direction that pushes: how many records' app changes its next sync sends (those kept while it was HubSpot → app only among them).
  const pushes = settings.direction !== undefined && settings.direction !== 'pull'
  const view = { connectionId, settings: settingsView(updated.settings), ...(pushes ? { appEditsToSend: await recordsToSend(sql, updated.tenantId, connectionId) } : {}) }
  if (!decide) return Response.json(view)
  const result = await decideOpenConflicts(sql, updated, decideSignal)
  // As after Apply: the values chosen for HubSpot go now, one sync of the types decided, not at the next scheduled one.
  if (result.decidedTypes.length) {
    inBackground(`push after deciding conflicts of ${connectionId}`, () => pushDecided(sql, connectionId, result.decidedTypes, signal))
  }
  return Response.json({
    ...view, decidedConflicts: result.decided, dismissedConflicts: result.dismissed, openConflicts: result.left,
    ...(result.stoppedEarly ? { stoppedEarly: true, message: 'Stopped at the time limit: the conflicts not reached yet stay open; save again to decide them.' } : {}),
  })
})
