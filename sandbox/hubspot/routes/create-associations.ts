import { ASSOCIATION_TYPES, type AssocSpec } from '../associations.js'
import { associate } from '../assoc-writes.js'
import { validation } from '../errors.js'
import type { WriteSource } from '../events.js'
import type { ObjectType } from '../object-types.js'
import type { Rec } from '../record.js'
import type { Sandbox } from '../state.js'

export interface CreateLink {
  toType: ObjectType
  toId: string
  specs: AssocSpec[]
}

/**
 * Validates `associations` on create: `[{to:{id}, types:[{associationCategory, associationTypeId}]}]`
 * (https://developers.hubspot.com/docs/api/crm/contacts#create-contacts). Target type comes from the type id.
 */
export function checkCreateAssociations(sb: Sandbox, fromType: ObjectType, raw: unknown): CreateLink[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw validation('associations must be an array')
  return raw.map((a: any) => {
    const toId = String(a?.to?.id ?? '')
    const types: any[] = Array.isArray(a?.types) ? a.types : []
    if (!toId || types.length === 0) throw validation('Each association needs to.id and at least one type')
    const specs: AssocSpec[] = types.map((t) => ({ category: t.associationCategory ?? 'HUBSPOT_DEFINED', typeId: Number(t.associationTypeId) }))
    const info = ASSOCIATION_TYPES[specs[0].typeId]
    if (!info || info.from !== fromType) {
      throw validation(`${specs[0].typeId} is not a valid association type id from ${fromType}`, undefined, { associationTypeId: [String(specs[0].typeId)] })
    }
    if (!sb.store.findBy(info.to, toId)) {
      throw validation(`One or more associated objects were not found: ${toId}`, undefined, { toObjectId: [toId] })
    }
    return { toType: info.to, toId, specs }
  })
}

export function addCreateAssociations(sb: Sandbox, rec: Rec, links: CreateLink[], source: WriteSource): void {
  for (const l of links) associate(sb, rec.type, rec.id, l.toType, l.toId, l.specs, source)
}
