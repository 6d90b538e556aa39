import { liveConnection } from '@/lib/crm/live-connection'
import { webhookStatusView } from '@/lib/crm/webhooks/status-view'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { getWebhookStatus } from '@/lib/store/webhook-events'
import { currentTenantId } from '@/lib/tenant'

// { enabled (real-time on, by the card's rule), state, turnedOnHere, accepting, verifiable, totalReceived,
// lastReceivedAt, pending, failed }: see lib/crm/webhooks/status-view.ts.
export const dynamic = 'force-dynamic'

export const GET = route(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const sql = await getSql()
  const connection = await liveConnection(sql, (await params).id, await currentTenantId())
  return Response.json(webhookStatusView((await getWebhookStatus(sql, connection.id))!))
})
