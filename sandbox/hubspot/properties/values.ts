import type { ObjectType } from '../object-types.js'
import type { PropertyRegistry } from './registry.js'
import type { PropertyDef } from './definitions.js'

// https://developers.hubspot.com/docs/api/crm/properties#property-values — values are strings,
// "" clears, datetimes accept ISO 8601 or epoch ms, dates YYYY-MM-DD or midnight epoch ms.

export interface PropertyProblem {
  name: string
  code: string
  message: string
}

/** Computed by the sandbox itself, never stored (they follow createdAt/updatedAt/id exactly). */
export const COMPUTED = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate'])

export type NormalizeResult = { ok: true; values: Record<string, string> } | { ok: false; problems: PropertyProblem[] }

export function normalizeProperties(
  registry: PropertyRegistry,
  type: ObjectType,
  input: unknown,
  opts: { allowReadOnly?: boolean } = {},
): NormalizeResult {
  const values: Record<string, string> = {}
  const problems: PropertyProblem[] = []
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: true, values }
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = registry.get(type, name)
    if (!def) {
      problems.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` })
      continue
    }
    if (raw === null || raw === undefined) {
      values[name] = ''
      continue
    }
    const str = typeof raw === 'string' ? raw : String(raw)
    if (COMPUTED.has(name) && name !== 'createdate') continue // HubSpot ignores writes to these.
    if (def.readOnlyValue && !opts.allowReadOnly) {
      problems.push({ name, code: 'READ_ONLY_VALUE', message: `Property "${name}" is read-only` })
      continue
    }
    const checked = checkValue(def, str, type)
    if ('problem' in checked) problems.push({ name, ...checked.problem })
    else values[name] = checked.value
  }
  return problems.length ? { ok: false, problems } : { ok: true, values }
}

function checkValue(def: PropertyDef, v: string, type: ObjectType): { value: string } | { problem: { code: string; message: string } } {
  if (v === '') return { value: '' }
  switch (def.type) {
    case 'number':
      return Number.isFinite(Number(v)) ? { value: v.trim() } : { problem: { code: 'INVALID_FLOAT', message: `${v} was not a valid number.` } }
    case 'datetime': {
      const ms = parseDateValue(v)
      return ms === undefined ? { problem: { code: 'INVALID_DATE', message: `${v} was not a valid date.` } } : { value: new Date(ms).toISOString() }
    }
    case 'date': {
      const ms = parseDateValue(v)
      return ms === undefined ? { problem: { code: 'INVALID_DATE', message: `${v} was not a valid date.` } } : { value: new Date(ms).toISOString().slice(0, 10) }
    }
    case 'bool':
      return /^(true|false)$/i.test(v) ? { value: v.toLowerCase() } : { problem: { code: 'INVALID_BOOLEAN', message: `${v} was not a valid boolean.` } }
    case 'enumeration':
      return checkOption(def, v)
    default:
      if (def.name === 'email' && type === 'contacts') {
        // HubSpot stores contact emails lowercased and rejects malformed ones.
        const email = v.trim().toLowerCase()
        return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? { value: email } : { problem: { code: 'INVALID_EMAIL', message: `Email address ${v} is invalid` } }
      }
      return { value: v }
  }
}

function checkOption(def: PropertyDef, v: string): { value: string } | { problem: { code: string; message: string } } {
  if (def.externalOptions || def.options.length === 0) return { value: v }
  const allowed = new Set(def.options.map((o) => o.value))
  const parts = def.fieldType === 'checkbox' ? v.split(';').filter((p) => p !== '') : [v]
  const bad = parts.find((p) => !allowed.has(p))
  if (bad === undefined) return { value: v }
  return { problem: { code: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${[...allowed].join(', ')}]` } }
}

/** Epoch-ms string or ISO 8601 → ms. */
export function parseDateValue(v: string): number | undefined {
  if (/^-?\d+$/.test(v.trim())) return Number(v)
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? undefined : ms
}
