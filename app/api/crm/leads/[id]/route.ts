import { editLead, leadPatchSchema } from '@/lib/crm/edit-lead'
import { readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

/** A person's edit of one lead: the given fields only; pushed to the CRM by the next sync. */
export const PATCH = route(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const patch = await readJson(req, leadPatchSchema)
  await editLead(await getSql(), await currentTenantId(), (await ctx.params).id, patch)
  return new Response(null, { status: 204 })
})
