import { liveConnection } from '@/lib/crm/live-connection'
import { disableWebhooks } from '@/lib/crm/webhooks/manage'
import { webhookStatusView } from '@/lib/crm/webhooks/status-view'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

// Stops accepting deliveries for this connection (the scheduled sync keeps it fresh).
export const dynamic = 'force-dynamic'

export const POST = route(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const sql = await getSql()
  const connection = await liveConnection(sql, (await params).id, await currentTenantId())
  const result = await disableWebhooks(sql, connection)
  return Response.json({ ...result, status: webhookStatusView(result.status) })
})
