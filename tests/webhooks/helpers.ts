import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'
import { signV1, signV3 } from '../../sandbox/hubspot/webhooks/signature'
import { drainWebhooksSoon } from '../../lib/crm/webhooks/background'
import { receiveHubSpotWebhook, toWebhookResponse, type ReceiveOptions } from '../../lib/crm/webhooks/hubspot/receive'
import { route } from '../../lib/http'
import type { Sql } from '../../lib/store/db'

// Fixtures are signed with the sandbox's signer (which shares no code with lib/), like
// HubSpot's sender: v1 headers plus v3.

export const SECRET = 'sandbox-client-secret'
export const WEBHOOK_PATH = '/api/webhooks/hubspot'

export function signedRequest(url: string, body: string | Buffer, opts: { secret?: string; timestamp?: number } = {}): Request {
  const secret = opts.secret ?? SECRET
  const timestamp = opts.timestamp ?? Date.now()
  return new Request(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : Uint8Array.from(body),
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature': signV1(secret, body),
      'x-hubspot-signature-version': 'v1',
      'x-hubspot-signature-v3': signV3(secret, 'POST', url, body, timestamp),
      'x-hubspot-request-timestamp': String(timestamp),
    },
  })
}

/**
 * The route's handler without Next: `after()` becomes `schedule`, which records the
 * processing promises so a test can await them (the route hands them to `after`).
 */
export function webhookHandler(sql: Sql, publicBaseUrl: string, opts: { process?: boolean } = {}) {
  const scheduled: Promise<void>[] = []
  const options: ReceiveOptions = {
    sql: async () => sql, clientSecret: SECRET, allowV1: false, publicBaseUrl, log: () => {},
    schedule: (connectionId) => {
      if (opts.process !== false) scheduled.push(drainWebhooksSoon(async () => sql, connectionId))
    },
  }
  const POST = route(async (req: Request) => toWebhookResponse(await receiveHubSpotWebhook(req, options)))
  return { POST, settled: () => Promise.all(scheduled.splice(0)), options }
}

export interface Delivery { url: string; headers: Record<string, string>; body: string }

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const headers = new Headers()
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
  return new Request(base + req.url, { method: req.method, headers, body: Buffer.concat(chunks) })
}

/** A loopback server that hands each request to `handler` (the sandbox's webhook target). Closed after the file. */
export async function serveHandler(handler: (req: Request) => Promise<Response>): Promise<{ url: string; server: Server; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = []
  let base = ''
  const server = createServer(async (req, res) => {
    const request = await toRequest(req, base)
    deliveries.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.clone().text() })
    const response = await handler(request)
    res.writeHead(response.status, { 'content-type': 'application/json' })
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: base, server, deliveries }
}

/** A stored delivery replayed as a fresh Request (same headers, same body). */
export const replay = (d: Delivery): Request => new Request(d.url, { method: 'POST', headers: d.headers, body: d.body })
