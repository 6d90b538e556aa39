import { parseDateValue } from '../properties/values.js'
import { getValue, type Rec } from '../record.js'
import type { Sandbox } from '../state.js'

/** Typed comparison for a search sort; records without the value sort last, ties by id. */
export function compareRecords(sb: Sandbox, a: Rec, b: Rec, sort: { propertyName: string; direction: string }): number {
  const def = sb.properties.get(a.type, sort.propertyName)
  const kind = sort.propertyName === 'hs_object_id' || def?.type === 'number' ? 'number' : def?.type === 'datetime' || def?.type === 'date' ? 'time' : 'string'
  const va = value(kind, getValue(a, sort.propertyName))
  const vb = value(kind, getValue(b, sort.propertyName))
  if (va === null && vb === null) return Number(a.id) - Number(b.id)
  if (va === null) return 1
  if (vb === null) return -1
  const c = va < vb ? -1 : va > vb ? 1 : Number(a.id) - Number(b.id)
  return sort.direction === 'DESCENDING' ? -c : c
}

function value(kind: string, v: string | null): number | string | null {
  if (v === null) return null
  if (kind === 'number') return Number(v)
  if (kind === 'time') return parseDateValue(v) ?? null
  return v.toLowerCase()
}
