// The webhook ack path's steps, one 100-event delivery at a time, best of 7 passes:
// where the route's CPU per request goes (bench/webhooks.ts prints the total).
// npx tsx bench/micro/ack.ts
import { createHmac } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { readText } from '../../lib/http'
import { parseBatch, storableJson } from '../../lib/crm/webhooks/hubspot/events'
import { verifyHubSpotSignature } from '../../lib/crm/webhooks/hubspot/verify'
import { encodeDeliveryBody } from '../../lib/store/webhook-events'
import { bestOf } from './best-of'

const SECRET = 'bench-secret'
const URL_ = 'http://127.0.0.1:3000/api/webhooks/hubspot'
const bodies = Array.from({ length: 300 }, (_, i) => JSON.stringify(Array.from({ length: 100 }, (_, j) => ({
  eventId: i * 100 + j, subscriptionId: 25, portalId: 777001, appId: 1234, occurredAt: Date.now() - j, subscriptionType: 'contact.propertyChange',
  attemptNumber: 0, objectId: 1000 + ((i * 100 + j) % 500), changeSource: 'CRM_UI', propertyName: 'jobtitle', propertyValue: `Title ${(i * 7919 + j) % 100003}`,
}))))
const signed = bodies.map((body) => {
  const ts = String(Date.now())
  return { body, headers: new Headers({ 'content-type': 'application/json', 'x-hubspot-request-timestamp': ts,
    'x-hubspot-signature-v3': createHmac('sha256', SECRET).update('POST' + URL_ + body + ts).digest('base64') }) }
})
const parsed = bodies.map((b) => parseBatch(b))

bestOf('verify (HMAC v3)', signed, signed.length, 'delivery', (s) => verifyHubSpotSignature({ method: 'POST', uri: URL_, rawBody: s.body, headers: s.headers }, { clientSecret: SECRET, allowV1: false }))
bestOf('parseBatch (JSON.parse + checks)', bodies, bodies.length, 'delivery', (b) => parseBatch(b))
bestOf('JSON.parse alone', bodies, bodies.length, 'delivery', (b) => JSON.parse(b))
bestOf('storableJson', parsed, parsed.length, 'delivery', (p, i = 0) => p.ok && storableJson(p.events, bodies[i]))
bestOf('encodeDeliveryBody (deflate)', bodies, bodies.length, 'delivery', (b) => encodeDeliveryBody(b))
bestOf("deflate, zlib's default window", bodies, bodies.length, 'delivery', (b) => deflateRawSync(b, { level: 1 }))
bestOf('new Request (as Next builds it)', signed, signed.length, 'delivery', (s) => new Request(URL_, { method: 'POST', headers: s.headers, body: Buffer.from(s.body) }))
bestOf('Response.json', bodies, bodies.length, 'delivery', () => Response.json({ ok: true, received: 100 }))
console.log(`sizes: body ${bodies[0].length} B, deflated ${encodeDeliveryBody(bodies[0]).length} B (default window ${deflateRawSync(bodies[0], { level: 1 }).length} B)`)
for (const [name, read] of [
  ['req.arrayBuffer()', (r: Request) => r.arrayBuffer()],
  ['req.text()', (r: Request) => r.text()],
  ['readText', (r: Request) => readText(r, 256 * 1024)],
] as const) {
  let best = Infinity
  for (let pass = 0; pass < 5; pass++) {
    const t = performance.now()
    for (const s of signed) await read(new Request(URL_, { method: 'POST', headers: s.headers, body: Buffer.from(s.body) }))
    best = Math.min(best, performance.now() - t)
  }
  console.log(`${('new Request + ' + name).padEnd(34)} ${((best * 1000) / signed.length).toFixed(2).padStart(6)} µs/delivery`)
}
