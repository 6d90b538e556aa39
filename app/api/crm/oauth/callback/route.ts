import { z } from 'zod'
import { signedNotice } from '@/lib/crm/connect-notice'
import { CrmError } from '@/lib/crm/errors'
import { completeOAuth } from '@/lib/crm/oauth-flow'
import { verifyState } from '@/lib/crm/oauth-state'
import { env } from '@/lib/env'
import { HttpError, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'
import { startInitialSync } from '../../../_shared/initial-sync'
import { clearOauthNonceCookie, OAUTH_COOKIE, readCookie } from '../cookie'

// The initial sync runs after the response, within this limit (see startInitialSync).
export const maxDuration = 300

// HubSpot's own words when the person (or HubSpot) refused: shown in the banner, cut to a
// banner's length rather than refused (a long description read as 'without a sign-in code').
const cut = (max: number) => z.string().min(1).transform((s) => (s.length > max ? `${s.slice(0, max - 1)}…` : s))
const deniedSchema = z.object({ error: cut(200), error_description: cut(500).optional(), state: z.string().max(1024).optional() })
// A denial anyone could have linked to (no state this browser holds): our words, and HubSpot's
// error code only when it looks like one, so the banner carries nobody else's sentence.
const deniedElsewhere = (code: string) =>
  `HubSpot did not grant access${/^[a-z_]{1,64}$/.test(code) ? ` (${code})` : ''}. Start again with the Connect button.`
const querySchema = z.object({
  code: z.string({ error: 'code is required' }).min(1).max(512),
  state: z.string({ error: 'state is required' }).min(1).max(1024),
})

function redirectHome(params: Record<string, string>): Response {
  const url = new URL('/', env().APP_URL)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return new Response(null, { status: 303, headers: { Location: url.toString(), 'Set-Cookie': clearOauthNonceCookie(env().APP_URL) } })
}

// A person lands here in the browser (also by pressing Back, or opening the link in another
// browser): every failure goes home to the dashboard's banner, never to a JSON body.
function failureMessage(e: unknown): string {
  const again = 'Start again with the Connect button.'
  if (e instanceof z.ZodError) return `HubSpot sent the browser back without a sign-in code. ${again}`
  if (e instanceof CrmError && e.status < 500) return `${e.message}. ${again}`
  // Nobody signed in (the session ended meanwhile), or sign-in unavailable: said as the API says it.
  if (e instanceof HttpError) return `${e.message.replace(/\.$/, '')}. ${again}`
  console.error('[syncline] OAuth callback failed', e instanceof Error ? `${e.name}: ${e.message}` : e)
  return `Something went wrong finishing the sign-in with HubSpot; it has been logged. ${again}`
}

/** HubSpot sends the browser back here with a code (or an error) and our state. */
export const GET = route(async (req: Request) => {
  const params = Object.fromEntries(new URL(req.url).searchParams)
  const denied = deniedSchema.safeParse(params)
  if (denied.success) {
    // HubSpot's own words only for the browser that started this sign-in (RFC 6749 §4.1.2.1:
    // the error response carries the request's state).
    const d = denied.data
    const started = d.state !== undefined && verifyState(d.state, readCookie(req, OAUTH_COOKIE)).ok
    return redirectHome(signedNotice(started ? d.error_description ?? d.error : deniedElsewhere(d.error)))
  }
  try {
    const query = querySchema.parse(params)
    const sql = await getSql()
    const tenantId = await currentTenantId()
    const { connection } = await completeOAuth(sql, { code: query.code, state: query.state, nonce: readCookie(req, OAUTH_COOKIE), tenantId })
    startInitialSync(sql, connection.id, maxDuration)
    return redirectHome({ connected: connection.id })
  } catch (e) {
    return redirectHome(signedNotice(failureMessage(e)))
  }
})
