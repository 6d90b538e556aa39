import { signV1, signV3 } from './signature.js'

export interface DeliveryResult {
  ok: boolean
  status?: number
  error?: string
}

/**
 * POSTs one batch to the target, signed like HubSpot (v1 headers plus v3). A target that does
 * not answer 2xx within `timeoutMs` (HubSpot: 5 s) counts as failed and is retried.
 */
export async function deliverBatch(opts: { targetUrl: string; body: string; clientSecret: string; timestamp: number; timeoutMs: number }): Promise<DeliveryResult> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client) - WebhooksExecutorDaemon-executor',
    'X-HubSpot-Signature': signV1(opts.clientSecret, opts.body),
    'X-HubSpot-Signature-Version': 'v1',
    'X-HubSpot-Signature-v3': signV3(opts.clientSecret, 'POST', opts.targetUrl, opts.body, opts.timestamp),
    'X-HubSpot-Request-Timestamp': String(opts.timestamp),
    'X-HubSpot-Timeout-Millis': String(opts.timeoutMs),
  }
  try {
    const res = await fetch(opts.targetUrl, { method: 'POST', headers, body: opts.body, signal: AbortSignal.timeout(opts.timeoutMs) })
    await res.arrayBuffer().catch(() => undefined)
    return { ok: res.status >= 200 && res.status < 300, status: res.status }
  } catch (e) {
    const err = e as Error
    return { ok: false, error: err.name === 'TimeoutError' ? 'timeout' : err.message }
  }
}
