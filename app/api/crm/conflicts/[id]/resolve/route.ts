import { z } from 'zod'
import { pushDecided } from '@/lib/crm/push-decided'
import { decideConflict } from '@/lib/crm/review'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import { readJson, route } from '@/lib/http'
import { getConflict } from '@/lib/store/conflicts'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'
import { inBackground } from '../../../../_shared/background'

// The push that follows a decision runs after the response, within this limit.
export const maxDuration = 300

// One rule, one message: "-1", "1.5" or a 20-digit id are all just not a conflict's id.
const idSchema = z.string().regex(/^[1-9][0-9]{0,14}$/, 'conflict id must be a positive whole number').transform(Number)
// The id is in the URL: a bad one is reported against the path, not the body.
const pathSchema = z.object({ path: idSchema })
const choiceSchema = z.union([z.enum(['local', 'remote']), z.strictObject({ value: z.string().max(5000).nullable() })],
  { error: `a choice is 'local', 'remote' or { "value": text or null }` })
// As long as a HubSpot text property can be (65,536 characters): the page sends back what it showed.
const shownValue = z.string().max(65_536).nullable()
const bodySchema = z.strictObject({
  choices: z.record(z.string().min(1).max(64), choiceSchema).refine((c) => Object.keys(c).length > 0 && Object.keys(c).length <= 32, 'pick a value for each conflicting field'),
  // The two values of each field as the queue showed them: a field either side of which is
  // no longer that is refused (409) rather than decided on values the person never saw. The
  // dashboard always sends it, and so should any caller that chose on values it read. Kept
  // optional for API callers that decide by rule, not on values ("keep the app's value,
  // whatever it is now"): without it the choice applies to the values as they are when the
  // conflict and the record are locked (read and written in one transaction, so an app edit
  // is never written over unread); 'local' keeps the app's newest value, 'remote' HubSpot's
  // as the last sync brought it. Requiring it would make such a caller read the queue only to
  // echo it back, and break the clients that already decide this way.
  seen: z.record(z.string().min(1).max(64), z.strictObject({ local: shownValue, remote: shownValue }))
    .refine((s) => Object.keys(s).length <= 32, 'at most 32 fields').optional(),
})

/**
 * A person's decision: the app's row is written now; the CRM gets its side on the push that
 * follows. The app's side is the row as it is now. 409 when another tab decided it first, or
 * when a value of either side is not the one `seen`; `dismissed` when its record is gone on a side.
 */
export const POST = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const signal = timeLimitSignal(maxDuration * 1000)
  const { path: id } = pathSchema.parse({ path: (await ctx.params).id })
  const { choices, seen } = await readJson(req, bodySchema, 512 * 1024)
  const tenantId = await currentTenantId()
  const sql = await getSql()
  const decision = await decideConflict(sql, tenantId, id, choices, { seen })
  // A dismissed conflict (its record gone on a side) has nothing to push.
  const conflict = decision.status === 'resolved' ? await getConflict(sql, tenantId, id) : undefined
  if (conflict) {
    inBackground(`push after conflict ${id}`, () => pushDecided(sql, conflict.connectionId, [conflict.objectType], signal))
  }
  return Response.json(decision)
})
