import { CrmError } from '../../errors'
import type { ObjectType } from '../../types'
import type { HubSpotApi } from './client'
import { isMappedProperty, OBJECT_PATH } from './mapping'

const NOUN: Record<ObjectType, string> = { contact: 'contact', company: 'company', deal: 'deal' }

/**
 * Checks a connection's extra properties for one object type against the portal's own
 * list, so a misspelt name is refused when it is chosen: HubSpot's reads ignore a property
 * that does not exist, and the values would silently never arrive.
 */
// https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/{objectType}: every live property, no paging)
export async function checkExtraProperties(api: HubSpotApi, type: ObjectType, names: readonly string[]): Promise<void> {
  const mapped = names.filter((n) => isMappedProperty(type, n))
  if (mapped.length) {
    throw new CrmError('validation', `${quoted(mapped)} already ${mapped.length === 1 ? 'syncs' : 'sync'} into the ${NOUN[type]} table's own columns`)
  }
  if (names.length === 0) return
  const res = await api.call('general', (c) => c.crm.properties.coreApi.getAll(OBJECT_PATH[type], false))
  const known = new Set(res.results.map((p) => p.name))
  const missing = names.filter((n) => !known.has(n))
  if (missing.length) {
    throw new CrmError('validation', `HubSpot has no ${NOUN[type]} property ${quoted(missing)} (use the property's internal name, as in HubSpot's property settings)`)
  }
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')
