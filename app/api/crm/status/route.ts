import { statusPayload } from '@/lib/crm/live-changes'
import { awaitingReconnect, connectionStatuses } from '@/lib/crm/status'
import { route } from '@/lib/http'
import { liveLeadCounts } from '@/lib/store/dashboard'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

export const dynamic = 'force-dynamic'

/** Connections, their latest run per object type, running state, open conflicts, outbox health, the connection last disconnected when none is in use, how many writes have changed the leads, and `changes` (the poller's cue to re-render). No credentials. */
export const GET = route(async () => {
  const tenantId = await currentTenantId()
  const sql = await getSql()
  const [connections, leads] = await Promise.all([connectionStatuses(sql, tenantId), liveLeadCounts(sql, tenantId)])
  return Response.json(statusPayload(connections, leads.changes, await awaitingReconnect(sql, tenantId, connections)), { headers: { 'Cache-Control': 'no-store' } })
})
