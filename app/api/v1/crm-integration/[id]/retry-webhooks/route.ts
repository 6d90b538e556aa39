import { after } from 'next/server'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import { drainWebhooksSoon } from '@/lib/crm/webhooks/background'
import { liveConnection } from '@/lib/crm/live-connection'
import { retryFailedWebhooks } from '@/lib/crm/webhooks/manage'
import { webhookStatusView } from '@/lib/crm/webhooks/status-view'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

// Webhook events that failed every attempt are tried again, after the answer.
export const dynamic = 'force-dynamic'
// The drain after the answer runs within this limit, and stops 30 s before it (time-limit.ts).
export const maxDuration = 300

export const POST = route(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const signal = timeLimitSignal(maxDuration * 1000)
  const sql = await getSql()
  const connection = await liveConnection(sql, (await params).id, await currentTenantId())
  const result = await retryFailedWebhooks(sql, connection, (id) => after(() => drainWebhooksSoon(getSql, id, { signal })))
  return Response.json({ ...result, status: webhookStatusView(result.status) })
})
