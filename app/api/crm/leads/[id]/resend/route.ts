import { resendLead } from '@/lib/crm/resend-lead'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

/** "Send to HubSpot again": a lead HubSpot deleted is created there again by the next sync. */
export const POST = route(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  await resendLead(await getSql(), await currentTenantId(), (await ctx.params).id)
  return new Response(null, { status: 204 })
})
