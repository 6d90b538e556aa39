import { z } from 'zod'
import { nangoConfigured, saveNangoConnection } from '@/lib/crm/nango-flow'
import { publicConnection } from '@/lib/crm/status'
import { HttpError, readJson, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'
import { startInitialSync } from '../../../_shared/initial-sync'

// The initial sync runs after the response, within this limit (see startInitialSync).
export const maxDuration = 300

// Connect UI's `connect` event: {type:'connect', payload:{providerConfigKey, connectionId}}.
// Ids are one line of visible characters: a NUL would otherwise reach Postgres as a 500.
// The connection id goes into Nango's API path as is (GET /connections/<id>, asked with our
// secret key): "../providers" asked GET /providers, so no path, query or escape characters.
const id = z.string().min(1).max(255).regex(/^[^\u0000-\u001f\u007f]+$/, 'must be one line of visible characters')
  .regex(/^[^/\\?#%]+$/, 'must not contain / \\ ? # or %').refine((s) => s !== '.' && s !== '..', 'must not be . or ..')
const bodySchema = z.strictObject({ connectionId: id, providerConfigKey: id })

export const POST = route(async (req: Request) => {
  const body = await readJson(req, bodySchema, 2048)
  // As /api/crm/connect answers for Nango on a server not set up for it: the caller's to avoid.
  if (!nangoConfigured()) throw new HttpError(400, 'not_configured', 'Nango is not configured on this server: set NANGO_SECRET_KEY')
  const sql = await getSql()
  const { connection, created } = await saveNangoConnection(sql, await currentTenantId(), body)
  if (created) startInitialSync(sql, connection.id, maxDuration)
  return Response.json({ connection: publicConnection(connection) }, { status: created ? 201 : 200 })
})
