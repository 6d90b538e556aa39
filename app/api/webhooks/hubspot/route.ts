import { after } from 'next/server'
import { timeLimitSignal } from '@/lib/crm/time-limit'
import { drainWebhooksSoon } from '@/lib/crm/webhooks/background'
import { receiveHubSpotWebhook, toWebhookResponse } from '@/lib/crm/webhooks/hubspot/receive'
import { env } from '@/lib/env'
import { route } from '@/lib/http'
import { getSql } from '@/lib/store/db'

// HubSpot → Syncline. Verify, store, answer within milliseconds; apply after the answer.
// https://developers.hubspot.com/docs/api/webhooks
export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'
// The drain after the answer runs within this limit, and stops 30 s before it (time-limit.ts).
export const maxDuration = 300

export const POST = route(async (req: Request) => {
  const signal = timeLimitSignal(maxDuration * 1000)
  const e = env()
  const outcome = await receiveHubSpotWebhook(req, {
    sql: getSql,
    clientSecret: e.HUBSPOT_CLIENT_SECRET,
    allowV1: e.HUBSPOT_WEBHOOK_ALLOW_V1,
    // The URI HubSpot signed is the public one, not whatever host the proxy forwarded to.
    publicBaseUrl: e.APP_URL,
    schedule: (connectionId) => after(() => drainWebhooksSoon(getSql, connectionId, { signal })),
  })
  return toWebhookResponse(outcome)
})
