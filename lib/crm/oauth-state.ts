import { createHmac, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { deriveSecret, sameSecret } from '../secrets'

// The OAuth `state` parameter: HMAC-signed (so nobody can forge one for another tenant),
// short-lived, and bound to a nonce the browser holds in an httpOnly cookie that the
// callback clears — a replayed state finds no matching cookie and is refused.
// https://datatracker.ietf.org/doc/html/rfc6749#section-10.12

const STATE_TTL_MS = 10 * 60_000
const payloadSchema = z.object({ t: z.guid(), n: z.string().min(16), e: z.number().int() })

export type StateCheck = { ok: true; tenantId: string } | { ok: false; error: string }

const sign = (data: string) => createHmac('sha256', deriveSecret('oauth-state')).update(data).digest('base64url')

export function createState(tenantId: string, now = Date.now()): { state: string; nonce: string } {
  const nonce = randomBytes(18).toString('base64url')
  const data = Buffer.from(JSON.stringify({ t: tenantId, n: nonce, e: now + STATE_TTL_MS })).toString('base64url')
  return { state: `${data}.${sign(data)}`, nonce }
}

export function verifyState(state: string, cookieNonce: string | undefined, now = Date.now()): StateCheck {
  const [data, mac] = state.split('.')
  if (!data || !mac || !sameSecret(mac, sign(data))) return { ok: false, error: 'the sign-in state is not one we issued' }
  let payload: z.infer<typeof payloadSchema>
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(data, 'base64url').toString('utf8')))
  } catch {
    return { ok: false, error: 'the sign-in state is malformed' }
  }
  if (payload.e < now) return { ok: false, error: 'the sign-in took too long; start again' }
  if (!cookieNonce || !sameSecret(cookieNonce, payload.n)) return { ok: false, error: 'the sign-in state was already used or belongs to another browser' }
  return { ok: true, tenantId: payload.t }
}
