import { validation } from '../errors.js'
import { canonicalType, type ObjectType } from '../object-types.js'
import { parseDateValue } from '../properties/values.js'
import { getTimeValue, getValue, type Rec } from '../record.js'
import type { Sandbox } from '../state.js'

// https://developers.hubspot.com/docs/api/crm/search#filter-search-results
export const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const
export type Operator = (typeof OPERATORS)[number]

export interface Filter {
  propertyName: string
  operator: Operator
  value?: string
  values?: string[]
  highValue?: string
}

export type Predicate = (rec: Rec) => boolean
type Kind = 'number' | 'time' | 'enum' | 'string'

function kindOf(sb: Sandbox, type: ObjectType, name: string): Kind {
  if (name === 'hs_object_id') return 'number'
  const def = sb.properties.get(type, name)
  if (!def) throw validation(`Property "${name}" does not exist`, [{ message: `Property "${name}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [name] } }])
  if (def.type === 'number') return 'number'
  if (def.type === 'datetime' || def.type === 'date') return 'time'
  if (def.type === 'enumeration' || def.type === 'bool') return 'enum'
  return 'string'
}

/** Converts a raw value to something comparable for the property's kind. */
function coerce(kind: Kind, v: string | null | undefined): number | string | null {
  if (v === null || v === undefined) return null
  if (kind === 'number') return Number(v)
  if (kind === 'time') return parseDateValue(v) ?? null
  // Values are case-insensitive except enumerations (case-sensitive).
  return kind === 'enum' ? v : v.toLowerCase()
}

const tokens = (v: string): string[] => v.toLowerCase().split(/[\s@.,;:_\-/()+]+/).filter(Boolean)

function tokenMatcher(pattern: string): (v: string) => boolean {
  const p = pattern.toLowerCase()
  if (p.includes('*')) {
    // `*` is a wildcard, e.g. `*@hubspot.com` matches every hubspot.com address.
    const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    return (v) => re.test(v.toLowerCase()) || tokens(v).some((t) => re.test(t))
  }
  return (v) => v.toLowerCase() === p || tokens(v).includes(p)
}

export function compileFilter(sb: Sandbox, type: ObjectType, f: Filter): Predicate {
  if (!OPERATORS.includes(f.operator)) throw validation(`Invalid operator: ${f.operator}`)
  const assoc = /^associations\.(\w+)$/.exec(f.propertyName)
  if (assoc) {
    // Pseudo-property: records associated with the given record id.
    const toType = canonicalType(assoc[1])
    if (!toType) throw validation(`Unknown association type ${assoc[1]}`)
    const ids = f.operator === 'IN' ? (f.values ?? []) : [f.value ?? '']
    return (rec) => ids.some((id) => sb.associations.has(type, rec.id, toType, String(id)))
  }
  const name = f.propertyName
  const kind = kindOf(sb, type, name)
  const read = (rec: Rec): number | string | null => {
    if (kind === 'time') return getTimeValue(rec, name) ?? coerce(kind, getValue(rec, name))
    return coerce(kind, getValue(rec, name))
  }
  const need = (v: string | undefined, what = 'value'): number | string => {
    const c = coerce(kind, v)
    if (c === null || (typeof c === 'number' && Number.isNaN(c))) throw validation(`Filter on ${name} with operator ${f.operator} needs a valid ${what}`)
    return c
  }
  switch (f.operator) {
    case 'HAS_PROPERTY': return (rec) => getValue(rec, name) !== null
    case 'NOT_HAS_PROPERTY': return (rec) => getValue(rec, name) === null
    case 'EQ': { const v = need(f.value); return (rec) => read(rec) === v }
    case 'NEQ': { const v = need(f.value); return (rec) => read(rec) !== v }
    case 'LT': { const v = need(f.value); return (rec) => { const x = read(rec); return x !== null && x < v } }
    case 'LTE': { const v = need(f.value); return (rec) => { const x = read(rec); return x !== null && x <= v } }
    case 'GT': { const v = need(f.value); return (rec) => { const x = read(rec); return x !== null && x > v } }
    case 'GTE': { const v = need(f.value); return (rec) => { const x = read(rec); return x !== null && x >= v } }
    case 'BETWEEN': {
      const lo = need(f.value)
      const hi = need(f.highValue, 'highValue')
      return (rec) => { const x = read(rec); return x !== null && x >= lo && x <= hi }
    }
    case 'IN':
    case 'NOT_IN': {
      // IN/NOT_IN on strings match lowercase values only (documented quirk): values are not lowercased.
      const set = new Set((f.values ?? []).map((v) => (kind === 'number' || kind === 'time' ? coerce(kind, v) : v)))
      const test = (rec: Rec) => { const x = read(rec); return x !== null && set.has(x) }
      return f.operator === 'IN' ? test : (rec) => !test(rec)
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const m = tokenMatcher(f.value ?? '')
      const test = (rec: Rec) => { const x = getValue(rec, name); return x !== null && m(x) }
      return f.operator === 'CONTAINS_TOKEN' ? test : (rec) => !test(rec)
    }
  }
}
