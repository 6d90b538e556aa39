import { canonicalType } from './object-types.js'
import type { Route } from './router.js'

// The scopes an OAuth token needs for a call, one of which must be granted: HubSpot's spec
// gives each operation's security (https://developers.hubspot.com/scopes). Reads of
// objects (get, list, search, batch read) take `crm.objects.<type>.read`, everything else
// on them `.write`; associations go by the type they are read or written from; owners take
// `crm.objects.owners.read`. The Properties API checks its own (it accepts two for reads).
// A call this does not name needs no scope beyond a valid token.
export function requiredScopes(method: string, route: Route, params: Record<string, string>): string[] | null {
  const { pattern } = route
  if (pattern.startsWith('/crm/v3/owners')) return ['crm.objects.owners.read']
  if (!pattern.startsWith('/crm/v3/objects/') && !pattern.startsWith('/crm/v4/')) return null
  const type = canonicalType(params.type ?? params.fromType ?? (pattern.includes('/contacts/') ? 'contacts' : ''))
  if (!type) return null // the route answers an unknown type with its own 400
  const reads = method === 'GET' || pattern.endsWith('/search') || pattern.endsWith('/batch/read')
  return [`crm.objects.${type}.${reads ? 'read' : 'write'}`]
}
