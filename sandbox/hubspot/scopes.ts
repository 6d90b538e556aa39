import { missingScopes } from './errors.js'
import { canonicalType } from './object-types.js'
import type { Ctx, Route } from './router.js'

// The scopes an OAuth token needs for a call, one of which must be granted: HubSpot's spec
// gives each operation's security (https://developers.hubspot.com/scopes). Reads of
// objects (get, list, search, batch read) take `crm.objects.<type>.read`, everything else
// on them `.write`; associations go by the type they are read or written from; owners take
// `crm.objects.owners.read`. Reading a type's properties takes its schema read scope or its
// object read scope; changing them, its schema write scope. A call this does not name needs
// no scope beyond a valid token.
function requiredScopes(method: string, route: Route, params: Record<string, string>): string[] | null {
  const { pattern } = route
  if (pattern.startsWith('/crm/v3/owners')) return ['crm.objects.owners.read']
  if (pattern.startsWith('/crm/v3/properties/')) {
    const type = canonicalType(params.type)
    if (!type) return null
    return method === 'GET' ? [`crm.schemas.${type}.read`, `crm.objects.${type}.read`] : [`crm.schemas.${type}.write`]
  }
  if (!pattern.startsWith('/crm/v3/objects/') && !pattern.startsWith('/crm/v4/')) return null
  const type = canonicalType(params.type ?? params.fromType ?? (pattern.includes('/contacts/') ? 'contacts' : ''))
  if (!type) return null // the route answers an unknown type with its own 400
  const reads = method === 'GET' || pattern.endsWith('/search') || pattern.endsWith('/batch/read')
  return [`crm.objects.${type}.${reads ? 'read' : 'write'}`]
}

/** An OAuth token must hold one of the scopes the call needs (a private app's token holds what it was given: here, everything). */
export function checkScopes(ctx: Ctx, route: Route): void {
  const granted = ctx.auth?.scopes
  const anyOf = granted ? requiredScopes(ctx.method, route, ctx.params) : null
  if (granted && anyOf && !anyOf.some((s) => granted.includes(s))) throw missingScopes(anyOf)
}
