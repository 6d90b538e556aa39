import { tenantConnectionOr404 } from '@/lib/crm/webhooks/manage'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { getWebhookStatus } from '@/lib/store/webhook-events'
import { currentTenantId } from '@/lib/tenant'

// { enabled, totalReceived, lastReceivedAt, pending, failed } for the dashboard.
export const dynamic = 'force-dynamic'

export const GET = route(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const sql = await getSql()
  const connection = await tenantConnectionOr404(sql, await currentTenantId(), (await params).id)
  return Response.json(await getWebhookStatus(sql, connection.id))
})
