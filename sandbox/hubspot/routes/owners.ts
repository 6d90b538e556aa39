import { HubSpotError } from '../errors.js'
import { json } from '../http.js'
import { ownerJson } from '../owners.js'
import type { Ctx, Route } from '../router.js'
import { boolParam } from '../serialize.js'
import { intParam } from './common.js'

// https://developers.hubspot.com/docs/api/crm/owners — the SDK calls `/crm/v3/owners/` (trailing
// slash); the router accepts both forms.
function list(ctx: Ctx) {
  const limit = Math.max(1, intParam(ctx, 'limit', 100, 500))
  const archived = boolParam(ctx.query, 'archived')
  const email = ctx.query.get('email')?.toLowerCase()
  const owners = ctx.sb.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email))
  const after = Number(ctx.query.get('after') ?? 0) || 0
  const page = owners.slice(after, after + limit)
  const body: Record<string, unknown> = { results: page.map(ownerJson) }
  if (after + limit < owners.length) {
    const next = String(after + limit)
    body.paging = { next: { after: next, link: `${ctx.baseUrl}/crm/v3/owners/?after=${next}` } }
  }
  return json(200, body)
}

function get(ctx: Ctx) {
  const byUser = ctx.query.get('idProperty') === 'userId'
  const archived = boolParam(ctx.query, 'archived')
  const id = ctx.params.ownerId
  const owner = ctx.sb.owners.find((o) => o.archived === archived && (byUser ? String(o.userIdIncludingInactive) === id : o.id === id))
  if (!owner) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `No owner found with ${byUser ? 'userId' : 'id'} ${id}`, { context: { id: [id] } })
  return json(200, ownerJson(owner))
}

export const ownerRoutes: Route[] = [
  { method: 'GET', pattern: '/crm/v3/owners', auth: 'token', limit: 'standard', handler: list },
  { method: 'GET', pattern: '/crm/v3/owners/:ownerId', auth: 'token', limit: 'standard', handler: get },
]
