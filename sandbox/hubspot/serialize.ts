import { ASSOCIATION_TYPES } from './associations.js'
import { DEFAULT_READ_PROPS, canonicalType, modifiedProp, type ObjectType } from './object-types.js'
import { getValue, iso, type Rec } from './record.js'
import type { Sandbox } from './state.js'

/** `properties=a,b` and `properties=a&properties=b` (the SDK's form) both mean [a, b]. */
export function listParam(query: URLSearchParams, name: string): string[] | null {
  const raw = query.getAll(name)
  if (raw.length === 0) return null
  return raw.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  return (query.get(name) ?? '').toLowerCase() === 'true'
}

/** Always present in real responses, whatever was asked for. */
const alwaysProps = (t: ObjectType): string[] => ['createdate', 'hs_object_id', modifiedProp(t)]

/**
 * Properties of a record as returned by reads: the requested ones (null when unset, unknown
 * names ignored) or the type's defaults. `'all-set'` returns every property with a value,
 * which is what create and update answer with.
 */
export function propertiesFor(sb: Sandbox, rec: Rec, requested: string[] | null | 'all-set'): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  if (requested === 'all-set') {
    for (const [k, v] of Object.entries(rec.props)) out[k] = v
    for (const k of alwaysProps(rec.type)) out[k] = getValue(rec, k)
    return out
  }
  const names = requested && requested.length ? [...requested, ...alwaysProps(rec.type)] : DEFAULT_READ_PROPS[rec.type]
  for (const name of names) {
    if (name in out) continue
    if (!sb.properties.get(rec.type, name)) continue
    out[name] = getValue(rec, name)
  }
  return out
}

export interface RecordJsonOptions {
  properties?: string[] | null | 'all-set'
  associations?: string[] | null
  propertiesWithHistory?: string[] | null
}

/** SimplePublicObject(WithAssociations) JSON. */
export function recordJson(sb: Sandbox, rec: Rec, opts: RecordJsonOptions = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: rec.id,
    properties: propertiesFor(sb, rec, opts.properties ?? null),
    createdAt: iso(rec.createdAt),
    updatedAt: iso(rec.updatedAt),
    archived: rec.archived,
  }
  if (rec.archivedAt !== undefined) body.archivedAt = iso(rec.archivedAt)
  if (opts.propertiesWithHistory?.length) {
    // Only the current value is kept, stamped with the record's last write.
    const hist: Record<string, unknown[]> = {}
    for (const name of opts.propertiesWithHistory) {
      const v = rec.props[name]
      hist[name] = v === undefined ? [] : [{ value: v, timestamp: iso(rec.updatedAt), sourceType: 'API' }]
    }
    body.propertiesWithHistory = hist
  }
  if (opts.associations?.length) {
    const assoc: Record<string, unknown> = {}
    for (const raw of opts.associations) {
      const toType = canonicalType(raw)
      if (!toType) continue
      const results = sb.associations.list(rec.type, rec.id, toType).flatMap(({ toId, specs }) =>
        specs.map((s) => ({ id: toId, type: ASSOCIATION_TYPES[s.typeId]?.v3Name ?? String(s.typeId) })),
      )
      if (results.length) assoc[toType] = { results }
    }
    if (Object.keys(assoc).length) body.associations = assoc
  }
  return body
}
