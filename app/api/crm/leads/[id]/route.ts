import { z } from 'zod'
import { editLead, leadPatchSchema } from '@/lib/crm/edit-lead'
import { parseLeadBody } from '@/lib/crm/lead-fields'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

/** A person's edit of one lead: the given fields only; pushed to the CRM by the next sync. */
export const PATCH = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  // Parsed by parseLeadBody, whose refusals name fields as the form labels them.
  const patch = parseLeadBody(leadPatchSchema, await readJson(req, z.unknown()))
  await editLead(await getSql(), await currentTenantId(), (await ctx.params).id, patch)
  return new Response(null, { status: 204 })
})
