// The webhook bench's load generator, run in a worker thread: HubSpot's side of the wire.
// It shares the two cores with the route and the database, so it is kept cheap: every
// body is built before the clock starts, and requests are written as raw HTTP/1.1 on
// keep-alive sockets (Node's http client cost about twice our route's CPU to parse). Each
// request is signed when it leaves, like HubSpot's. Open loop: requests leave on
// schedule whether or not earlier ones were answered, so a slow server shows as
// latency, not as a lower send rate. HubSpot sends at most 10 at once; `maxSockets`
// only bounds what a stalled server can make us open.
import net from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { signV3 } from '../sandbox/hubspot/webhooks/signature'

export interface LoadOptions {
  url: string
  rps: number
  total: number
  secret: string
  portalId: number
  appId: number
  objectIds: number[]
  maxSockets?: number
  /** Sent first and not measured, from another portal: the route's JIT and caches warm up as a long-running server's would be. */
  warmup?: { portalId: number; requests: number }
}

export interface LoadResult {
  latencies: number[]
  /** How late each request left against its due time: the load generator's own delay, inside `latencies`. */
  lateness: number[]
  ok: number
  failed: number
  seconds: number
}

/** What JSON.stringify prints for a batch of 100 propertyChange events of the last few seconds. */
function batchBody(o: LoadOptions, portalId: number, firstEventId: number, now: number): string {
  const fixed = `,"subscriptionId":25,"portalId":${portalId},"appId":${o.appId},"occurredAt":`
  let body = '['
  for (let j = 0, eventId = firstEventId; j < 100; j++, eventId++) {
    body += `${j ? ',' : ''}{"eventId":${eventId}${fixed}${now - 3000 + ((eventId * 7919) % 3000)}`
      + `,"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":${o.objectIds[eventId % o.objectIds.length]}`
      + `,"changeSource":"CRM_UI","propertyName":"jobtitle","propertyValue":"Title ${(eventId * 104729) % 1000003}"}`
  }
  return body + ']'
}

interface Conn {
  socket: net.Socket
  pending: { done: (status: number) => void } | null
  buffered: Buffer
}

/** `beforeMeasured` runs after the warm-up, before the measured requests (the caller's CPU snapshot). */
export async function runLoad(o: LoadOptions, beforeMeasured: () => Promise<void> = async () => {}): Promise<LoadResult> {
  const target = new URL(o.url)
  const port = Number(target.port)
  const build = (portalId: number, n: number, firstEventId: number) =>
    Array.from({ length: n }, (_, i) => Buffer.from(batchBody(o, portalId, firstEventId + i * 100, Date.now())))
  const warmup = o.warmup ? build(o.warmup.portalId, o.warmup.requests, 1) : []
  const measured = build(o.portalId, o.total, 1 + warmup.length * 100)
  let latencies: number[] = []
  let lateness: number[] = []
  let ok = 0
  let failed = 0
  const idle: Conn[] = []
  const all = new Set<Conn>()
  const waiting: Array<(c: Conn) => void> = []

  const release = (c: Conn) => {
    const next = waiting.shift()
    if (next) next(c)
    else idle.push(c)
  }
  // A response is complete once its head is in and then `content-length` bytes of body,
  // or for a chunked body its last, empty chunk.
  const onData = (c: Conn, chunk: Buffer) => {
    c.buffered = c.buffered.length ? Buffer.concat([c.buffered, chunk]) : chunk
    const headEnd = c.buffered.indexOf('\r\n\r\n')
    if (headEnd < 0 || !c.pending) return
    const head = c.buffered.subarray(0, headEnd).toString('latin1')
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1]
    let end: number
    if (length !== undefined) {
      end = headEnd + 4 + Number(length)
      if (c.buffered.length < end) return
    } else {
      const last = c.buffered.indexOf('\r\n0\r\n\r\n', headEnd + 2)
      if (last < 0) return
      end = last + 7
    }
    c.buffered = c.buffered.subarray(end)
    const { done } = c.pending
    c.pending = null
    done(Number(head.slice(9, 12)))
    release(c)
  }
  const open = () =>
    new Promise<Conn>((resolve) => {
      const c: Conn = { socket: net.connect({ host: target.hostname, port, noDelay: true }), pending: null, buffered: Buffer.alloc(0) }
      all.add(c)
      c.socket.on('data', (chunk) => onData(c, chunk))
      c.socket.on('error', () => {})
      c.socket.on('close', () => {
        all.delete(c)
        c.pending?.done(0)
      })
      c.socket.once('connect', () => resolve(c))
    })
  const connection = (): Promise<Conn> =>
    idle.length ? Promise.resolve(idle.pop()!) : all.size < (o.maxSockets ?? 64) ? open() : new Promise((resolve) => waiting.push(resolve))

  const post = async (body: Buffer, t0: number) => {
    const c = await connection()
    lateness.push(performance.now() - t0)
    const ts = Date.now()
    const signature = signV3(o.secret, 'POST', o.url, body, ts)
    const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n`
      + `X-HubSpot-Signature-v3: ${signature}\r\nX-HubSpot-Request-Timestamp: ${ts}\r\n\r\n`
    await new Promise<void>((resolve) => {
      c.pending = {
        done: (status) => {
          latencies.push(performance.now() - t0)
          if (status === 200) ok++
          else failed++
          resolve()
        },
      }
      c.socket.cork()
      c.socket.write(head)
      c.socket.write(body)
      c.socket.uncork()
    })
  }

  const send = async (bodies: Buffer[]) => {
    const inflight: Promise<void>[] = []
    const started = performance.now()
    for (let i = 0; i < bodies.length; i++) {
      const due = started + (i * 1000) / o.rps
      const wait = due - performance.now()
      if (wait > 1) await new Promise((r) => setTimeout(r, wait))
      // Latency counts from when the request was due, so a late send is the server's delay too.
      inflight.push(post(bodies[i], Math.min(due, performance.now())))
    }
    await Promise.all(inflight)
    return (performance.now() - started) / 1000
  }

  // Warm the pool so the first requests do not pay for connecting.
  for (const c of await Promise.all(Array.from({ length: 4 }, open))) idle.push(c)
  if (warmup.length) await send(warmup)
  ;[latencies, lateness, ok, failed] = [[], [], 0, 0]
  await beforeMeasured()
  const seconds = await send(measured)
  for (const c of all) c.socket.destroy()
  return { latencies, lateness, ok, failed, seconds }
}

// In the bench's worker: 'ready' after the warm-up, then the measured load on 'go', then the result.
if (parentPort && workerData?.webhookLoad) {
  const port = parentPort
  const go = () => new Promise<void>((resolve) => {
    port.once('message', () => resolve())
    port.postMessage('ready')
  })
  void runLoad(workerData.webhookLoad as LoadOptions, go).then((r) => port.postMessage(r))
}
