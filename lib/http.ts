import { z } from 'zod'
import { CrmError, schemaErrorOf } from './crm/errors'
import { env } from './env'

// The one boundary where errors become HTTP answers (route handlers stay thin):
// expected failures carry their status and a message safe to show; anything else is
// logged and answered with a generic 500, so store errors and tokens never leak.

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts)
    this.name = 'HttpError'
  }
}

export function toResponse(e: unknown): Response {
  if (e instanceof HttpError) return Response.json({ error: { code: e.code, message: e.message } }, { status: e.status })
  if (e instanceof z.ZodError) {
    const message = e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
    return Response.json({ error: { code: 'invalid_request', message } }, { status: 400 })
  }
  if (e instanceof CrmError && e.status < 500) {
    return Response.json({ error: { code: e.type, message: e.message } }, { status: e.status })
  }
  // A database with no migrations run (or an older schema after a deploy) failed every
  // request as a bare 500 with nothing to say what to do: name the fix, in the answer and
  // the log. Postgres's own words (table names) go to the log only.
  const schema = schemaErrorOf(e)
  if (schema) {
    console.error(`[syncline] the database lacks what this version needs: ${schema.message} (SQLSTATE ${schema.code}); run \`npm run db:migrate\` against DATABASE_URL`)
    return Response.json({ error: { code: 'schema', message: SCHEMA_MESSAGE } }, { status: 503 })
  }
  console.error('[syncline] unhandled error', e instanceof Error ? `${e.name}: ${e.message}` : e)
  return Response.json({ error: { code: 'internal', message: 'Something went wrong; it has been logged.' } }, { status: 500 })
}

const SCHEMA_MESSAGE = "The database lacks tables or columns this version of Syncline needs: run `npm run db:migrate` against its DATABASE_URL (README, \"Deploying on Vercel + Supabase\"), or restore what the app's schema changed."

/** Wraps a route handler so every thrown error becomes the right Response. */
export function route<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args) => {
    try {
      if (args[0] instanceof Request) refuseCrossSite(args[0])
      return await fn(...args)
    } catch (e) {
      return toResponse(e)
    }
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A browser names the page that sent a request in `Origin`; a state-changing request from
 * any page but the app's own (another site, or a sibling subdomain that SameSite cookies
 * treat as the same site) is refused. Server-to-server callers (HubSpot's and Nango's
 * webhooks, Vercel's cron, the CLI) send no Origin and are checked by their own secrets.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Origin
 */
export function refuseCrossSite(req: Request, appUrl = env().APP_URL): void {
  const origin = req.headers.get('origin')
  if (origin === null || SAFE_METHODS.has(req.method)) return
  if (origin === new URL(req.url).origin || origin === new URL(appUrl).origin || origin === sentTo(req)) return
  throw new HttpError(403, 'cross_origin', `Requests from ${origin} are not accepted; use the app at its own address`)
}

/**
 * The origin the browser addressed: the Host it sent (a proxy's X-Forwarded-Host first).
 * `req.url` may not say it: `next dev` reports localhost for a page opened at 127.0.0.1.
 * Another site's page cannot set either header on its request to us.
 */
function sentTo(req: Request): string | null {
  const host = req.headers.get('x-forwarded-host')?.split(',')[0].trim() || req.headers.get('host')
  if (!host) return null
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0].trim() || new URL(req.url).protocol.replace(':', '')
  return `${proto}://${host}`
}

const DEFAULT_MAX_BYTES = 64 * 1024

/** The raw body as text, refused (413) past `maxBytes` before it is all read. */
export async function readText(req: Request, maxBytes = DEFAULT_MAX_BYTES): Promise<string> {
  return (await readBytes(req, maxBytes)).toString('utf8')
}

/** The raw body's bytes, refused (413) past `maxBytes` before it is all read. */
export async function readBytes(req: Request, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) throw new HttpError(413, 'payload_too_large', `Body over ${maxBytes} bytes`)
  if (!req.body) return Buffer.alloc(0)
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw new HttpError(413, 'payload_too_large', `Body over ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  return chunks.length === 1 ? Buffer.from(chunks[0].buffer, chunks[0].byteOffset, chunks[0].byteLength) : Buffer.concat(chunks)
}

/** A JSON body parsed with `schema`: 400 for malformed JSON or the wrong shape, 415 for a non-JSON type. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = DEFAULT_MAX_BYTES): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? ''
  const text = await readText(req, maxBytes)
  if (text === '') return schema.parse({})
  if (!type.includes('json')) throw new HttpError(415, 'unsupported_media_type', 'Send application/json')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'invalid_json', 'Body is not valid JSON')
  }
  return schema.parse(value)
}
