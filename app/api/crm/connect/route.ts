import { z } from 'zod'
import { connectPrivateApp } from '@/lib/crm/connect'
import { createNangoSession, nangoConfigured } from '@/lib/crm/nango-flow'
import { oauthConfigured, startOAuth } from '@/lib/crm/oauth-flow'
import { publicConnection } from '@/lib/crm/status'
import { env } from '@/lib/env'
import { HttpError, readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'
import { startInitialSync } from '../../_shared/initial-sync'
import { oauthNonceCookie } from '../oauth/cookie'

// The initial sync runs after the response, within this limit (see startInitialSync).
export const maxDuration = 300

const bodySchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('private_app'), token: z.string().trim().min(8, 'token is too short').max(512, 'token is too long')
    // A token copied across a line break would reach HubSpot's Authorization header (and the error log) as is.
    .regex(/^[\x21-\x7e]+$/, 'token must be one line of visible characters, with no spaces or line breaks') }),
  z.strictObject({ method: z.literal('oauth') }),
  z.strictObject({ method: z.literal('nango') }),
], { error: "method must be one of 'oauth', 'private_app', 'nango'" })

// A method this server is not set up for is the caller's to avoid (the dashboard hides its
// button), not a server fault: 400, like any other request the server cannot serve.
const notConfigured = (what: string, vars: string) => new HttpError(400, 'not_configured', `${what} is not configured on this server: set ${vars}`)

/** Connect CRM: a private-app token is checked and stored; OAuth and Nango hand back what the browser opens next. */
export const POST = route(async (req: Request) => {
  const body = await readJson(req, bodySchema, 4096)
  const tenantId = await currentTenantId()
  switch (body.method) {
    case 'private_app': {
      const sql = await getSql()
      const { connection, created } = await connectPrivateApp(sql, { tenantId, token: body.token, label: 'HubSpot (private app)' })
      startInitialSync(sql, connection.id, maxDuration)
      // 200 when the portal was already connected: the same connection, with this token.
      return Response.json({ connection: publicConnection(connection), created }, { status: created ? 201 : 200 })
    }
    case 'oauth': {
      if (!oauthConfigured()) throw notConfigured('HubSpot OAuth', 'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET')
      const { url, nonce } = startOAuth(tenantId)
      return Response.json({ url }, { headers: { 'Set-Cookie': oauthNonceCookie(nonce, env().APP_URL) } })
    }
    case 'nango':
      if (!nangoConfigured()) throw notConfigured('Nango', 'NANGO_SECRET_KEY')
      return Response.json(await createNangoSession(tenantId))
  }
})
