import { handleNangoAuthWebhook, nangoAuthWebhookSchema, verifyNangoSignature } from '@/lib/crm/nango-flow'
import { HttpError, readText, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'

/** Nango's auth webhook, verified on the raw body before anything is parsed. */
export const POST = route(async (req: Request) => {
  const raw = await readText(req, 64 * 1024)
  const check = verifyNangoSignature(raw, req.headers.get('x-nango-hmac-sha256'))
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
