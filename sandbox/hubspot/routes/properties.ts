import { HubSpotError, validation } from '../errors.js'
import { json, noContent } from '../http.js'
import { requireType } from '../object-types.js'
import { customProperty, propertyJson, type PropertyDef, type PropertyType } from '../properties/definitions.js'
import type { Ctx, Route } from '../router.js'
import { boolParam, listParam } from '../serialize.js'
import { objectBody } from './common.js'

// https://developers.hubspot.com/docs/api/crm/properties
const TYPES: PropertyType[] = ['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']
const FIELD_TYPES = ['booleancheckbox', 'calculation_equation', 'checkbox', 'date', 'file', 'html', 'number', 'phonenumber', 'radio', 'select', 'text', 'textarea']

function list(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const only = listParam(ctx.query, 'properties')
  const props = ctx.sb.properties.list(type, boolParam(ctx.query, 'archived')).filter((p) => !only || only.includes(p.name))
  return json(200, { results: props.map(propertyJson) }) // no paging on this endpoint
}

function notFound(type: string, name: string): HubSpotError {
  return new HubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name} for object type ${type}`, { context: { propertyName: [name] } })
}

function get(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const p = boolParam(ctx.query, 'archived') ? ctx.sb.properties.getIncludingArchived(type, ctx.params.name) : ctx.sb.properties.get(type, ctx.params.name)
  if (!p) throw notFound(type, ctx.params.name)
  return json(200, propertyJson(p))
}

function create(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const b = objectBody(ctx)
  const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter((k) => typeof b[k] !== 'string' || b[k] === '')
  if (missing.length) throw validation(`Missing required fields: ${missing.join(', ')}`, missing.map((m) => ({ message: `${m} is required`, code: 'REQUIRED_FIELD', context: { field: [m] } })))
  if (!TYPES.includes(b.type as PropertyType)) throw validation(`Invalid type ${b.type}; expected one of ${TYPES.join(', ')}`)
  if (!FIELD_TYPES.includes(b.fieldType as string)) throw validation(`Invalid fieldType ${b.fieldType}`)
  const name = String(b.name)
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw validation(`Property name ${name} must start with a letter and use lowercase letters, numbers and underscores`)
  const existing = ctx.sb.properties.getIncludingArchived(type, name)
  if (existing && !existing.archived) throw new HubSpotError(409, 'OBJECT_ALREADY_EXISTS', `Property named ${name} already exists.`, { context: { name: [name] } })
  const now = ctx.sb.clock.now()
  const def = customProperty({
    name, label: String(b.label), type: b.type as PropertyType, fieldType: String(b.fieldType), groupName: String(b.groupName),
    description: typeof b.description === 'string' ? b.description : '',
    options: Array.isArray(b.options) ? (b.options as PropertyDef['options']).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: !!o.hidden, ...(o.description ? { description: o.description } : {}) })) : [],
    displayOrder: typeof b.displayOrder === 'number' ? b.displayOrder : -1, hasUniqueValue: b.hasUniqueValue === true,
    hidden: b.hidden === true, formField: b.formField === true, externalOptions: b.externalOptions === true,
  }, now)
  ctx.sb.properties.put(type, def)
  if (def.hasUniqueValue) ctx.sb.store.indexUnique(type, name)
  return json(201, propertyJson(def), { Location: `${ctx.baseUrl}/crm/v3/properties/${type}/${name}` })
}

function update(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const p = ctx.sb.properties.get(type, ctx.params.name)
  if (!p) throw notFound(type, ctx.params.name)
  const b = objectBody(ctx)
  if (p.hubspotDefined && Object.keys(b).some((k) => !['label', 'description', 'options', 'displayOrder', 'hidden', 'groupName'].includes(k))) {
    throw validation(`Cannot modify read-only fields of HubSpot-defined property ${p.name}`)
  }
  const next: PropertyDef = { ...p, updatedAt: ctx.sb.clock.now() }
  for (const k of ['label', 'description', 'groupName', 'fieldType'] as const) if (typeof b[k] === 'string') next[k] = b[k] as string
  if (typeof b.type === 'string' && TYPES.includes(b.type as PropertyType)) next.type = b.type as PropertyType
  if (Array.isArray(b.options)) next.options = (b.options as PropertyDef['options']).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: !!o.hidden }))
  if (typeof b.hidden === 'boolean') next.hidden = b.hidden
  if (typeof b.displayOrder === 'number') next.displayOrder = b.displayOrder
  ctx.sb.properties.put(type, next)
  return json(200, propertyJson(next))
}

function archive(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const p = ctx.sb.properties.get(type, ctx.params.name)
  if (!p) throw notFound(type, ctx.params.name)
  if (p.hubspotDefined) throw validation(`HubSpot-defined property ${p.name} cannot be archived`)
  const now = ctx.sb.clock.now()
  ctx.sb.properties.put(type, { ...p, archived: true, archivedAt: now, updatedAt: now })
  return noContent()
}

const r = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern, auth: 'token', limit: 'standard', handler })

export const propertyRoutes: Route[] = [
  r('GET', '/crm/v3/properties/:type', list),
  r('POST', '/crm/v3/properties/:type', create),
  r('GET', '/crm/v3/properties/:type/:name', get),
  r('PATCH', '/crm/v3/properties/:type/:name', update),
  r('DELETE', '/crm/v3/properties/:type/:name', archive),
]
