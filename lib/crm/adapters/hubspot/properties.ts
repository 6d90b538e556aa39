import { CrmError } from '../../errors'
import type { FieldOption, ObjectType } from '../../types'
import type { PortalProperties } from '../types'
import type { HubSpotApi } from './client'
import { isMappedProperty, OBJECT_PATH, PROPERTY_OF } from './mapping'

/**
 * Checks a connection's extra properties for one object type against the portal's own
 * list, so a misspelt name is refused when it is chosen: HubSpot's reads ignore a property
 * that does not exist, and the values would silently never arrive.
 */
// https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/{objectType}: every live property, no paging)
export async function checkExtraProperties(api: HubSpotApi, type: ObjectType, names: readonly string[]): Promise<void> {
  const mapped = names.filter((n) => isMappedProperty(type, n))
  if (mapped.length) {
    throw new CrmError('validation', `${quoted(mapped)} already ${mapped.length === 1 ? 'syncs' : 'sync'} into the ${type} table's own columns`)
  }
  if (names.length === 0) return
  const res = await api.call('general', (c) => c.crm.properties.coreApi.getAllWithHttpInfo(OBJECT_PATH[type], false))
  const known = new Set(res.results.map((p) => p.name))
  const missing = names.filter((n) => !known.has(n))
  if (missing.length) {
    throw new CrmError('validation', `HubSpot has no ${type} property ${quoted(missing)} (use the property's internal name, as in HubSpot's property settings)`)
  }
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')

/**
 * The portal's options for enumerated fields, by canonical field: labels for the values the
 * app stores (a custom lifecycle stage's value is a number such as "1234567"); and which of
 * the connection's extra properties the portal no longer has (HubSpot's record reads ignore
 * a deleted property, so its values would silently stop arriving). One call per type,
 * asking only for those properties.
 */
// https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/{objectType}?properties=a,b: only those that exist)
export async function readPortalProperties(api: HubSpotApi, type: ObjectType, fields: readonly string[], extra: readonly string[]): Promise<PortalProperties> {
  const byProperty = new Map(fields.flatMap((f) => (PROPERTY_OF[type][f] ? [[PROPERTY_OF[type][f], f] as const] : [])))
  if (byProperty.size === 0 && extra.length === 0) return { options: {}, missingExtra: [] }
  const res = await api.call('general', (c) => c.crm.properties.coreApi.getAllWithHttpInfo(OBJECT_PATH[type], false, [...byProperty.keys(), ...extra].join(',')))
  const options: Record<string, FieldOption[]> = {}
  for (const p of res.results) {
    const field = byProperty.get(p.name)
    if (!field) continue
    options[field] = [...(p.options ?? [])]
      .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
      .map((o) => ({ value: String(o.value), label: String(o.label), hidden: o.hidden === true }))
  }
  const found = new Set(res.results.map((p) => p.name))
  return { options, missingExtra: extra.filter((n) => !found.has(n)) }
}
