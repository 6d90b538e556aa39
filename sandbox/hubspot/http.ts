import type { IncomingMessage, ServerResponse } from 'node:http'
import { HubSpotError } from './errors.js'

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Sent as text/html instead of JSON (consent page, records page). */
  html?: string
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers })
export const noContent = (): Reply => ({ status: 204 })
export const redirect = (location: string): Reply => ({ status: 302, headers: { Location: location } })

const MAX_BODY_BYTES = 20 * 1024 * 1024

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HubSpotError(413, 'VALIDATION_ERROR', 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return {}
  try {
    return JSON.parse(raw)
  } catch (e) {
    // HubSpot answers malformed JSON with a 400 VALIDATION_ERROR naming the parse problem.
    throw new HubSpotError(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${(e as Error).message}`)
  }
}

/** Serialises a reply; `truncate` cuts the body mid-way (fault injection) while promising the full length. */
export function writeReply(res: ServerResponse, reply: Reply, baseHeaders: Record<string, string>, truncate = false): void {
  const headers: Record<string, string> = { ...baseHeaders, ...(reply.headers ?? {}) }
  let payload: string | undefined
  if (reply.html !== undefined) {
    payload = reply.html
    headers['Content-Type'] = 'text/html; charset=utf-8'
  } else if (reply.body !== undefined && reply.status !== 204) {
    payload = JSON.stringify(reply.body)
    headers['Content-Type'] = 'application/json;charset=utf-8'
  }
  if (payload === undefined) {
    res.writeHead(reply.status, headers)
    res.end()
    return
  }
  const buf = Buffer.from(payload, 'utf8')
  headers['Content-Length'] = String(buf.length)
  res.writeHead(reply.status, headers)
  if (truncate) {
    res.write(buf.subarray(0, Math.floor(buf.length / 2)))
    res.destroy()
    return
  }
  res.end(buf)
}
