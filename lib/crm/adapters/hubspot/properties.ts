import { CrmError } from '../../errors'
import type { FieldOption, ObjectType } from '../../types'
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
  const res = await api.call('general', (c) => c.crm.properties.coreApi.getAll(OBJECT_PATH[type], false))
  const known = new Set(res.results.map((p) => p.name))
  const missing = names.filter((n) => !known.has(n))
  if (missing.length) {
    throw new CrmError('validation', `HubSpot has no ${type} property ${quoted(missing)} (use the property's internal name, as in HubSpot's property settings)`)
  }
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')

/**
 * The portal's options for enumerated fields, by canonical field: labels for the values the
 * app stores (a custom lifecycle stage's value is a number such as "1234567"). One call per
 * type, asking only for those properties.
 */
// https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/{objectType}?properties=a,b)
export async function readFieldOptions(api: HubSpotApi, type: ObjectType, fields: readonly string[]): Promise<Record<string, FieldOption[]>> {
  const byProperty = new Map(fields.flatMap((f) => (PROPERTY_OF[type][f] ? [[PROPERTY_OF[type][f], f] as const] : [])))
  if (byProperty.size === 0) return {}
  const res = await api.call('general', (c) => c.crm.properties.coreApi.getAll(OBJECT_PATH[type], false, [...byProperty.keys()].join(',')))
  const out: Record<string, FieldOption[]> = {}
  for (const p of res.results) {
    const field = byProperty.get(p.name)
    if (!field) continue
    out[field] = [...(p.options ?? [])]
      .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
      .map((o) => ({ value: String(o.value), label: String(o.label), hidden: o.hidden === true }))
  }
  return out
}
