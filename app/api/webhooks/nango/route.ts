import { handleNangoAuthWebhook, nangoAuthWebhookSchema, verifyNangoSignature } from '@/lib/crm/nango-flow'
import { env } from '@/lib/env'
import { HttpError, readText, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'

/** Nango's auth webhook, verified on the raw body before anything is parsed. */
export const POST = route(async (req: Request) => {
  const raw = await readText(req, 64 * 1024)
  const secret = env().NANGO_WEBHOOK_SECRET
  // No secret configured: nothing can be verified, so nothing is accepted. The server's
  // setup, not the caller's signature, is at fault: 503, as the HubSpot webhook answers.
  if (!secret) throw new HttpError(503, 'webhooks_unconfigured', 'NANGO_WEBHOOK_SECRET is not set')
  const check = verifyNangoSignature(raw, req.headers.get('x-nango-hmac-sha256'), secret)
  if (!check.ok) throw new HttpError(401, 'bad_signature', `Nango webhook refused: ${check.error}`)
  let payload: unknown
  try {
    payload = JSON.parse(raw)
  } catch {
    throw new HttpError(400, 'invalid_json', 'Body is not valid JSON')
  }
  if ((payload as { type?: unknown })?.type !== 'auth') return Response.json({ outcome: 'ignored' })
  const result = await handleNangoAuthWebhook(await getSql(), nangoAuthWebhookSchema.parse(payload))
  return Response.json(result)
})
