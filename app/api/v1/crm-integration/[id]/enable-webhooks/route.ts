import { liveConnection } from '@/lib/crm/live-connection'
import { enableWebhooks } from '@/lib/crm/webhooks/manage'
import { webhookStatusView } from '@/lib/crm/webhooks/status-view'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

// Registers the webhook target (APP_URL + /api/webhooks/hubspot) and subscriptions where
// Syncline manages the app, and starts accepting deliveries for this connection.
export const dynamic = 'force-dynamic'

export const POST = route(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const sql = await getSql()
  const connection = await liveConnection(sql, (await params).id, await currentTenantId())
  const result = await enableWebhooks(sql, connection)
  return Response.json({ ...result, status: webhookStatusView(result.status) })
})
