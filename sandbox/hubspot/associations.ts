import type { ObjectType } from './object-types.js'

// https://developers.hubspot.com/docs/api/crm/associations — default HubSpot-defined type ids
// (also in @hubspot/api-client src/enums/AssociationTypes.ts).
export interface AssocSpec {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED'
  typeId: number
}

interface TypeInfo {
  from: ObjectType
  to: ObjectType
  reverse: number
  v3Name: string
  label: string | null
}

export const ASSOCIATION_TYPES: Record<number, TypeInfo> = {
  279: { from: 'contacts', to: 'companies', reverse: 280, v3Name: 'contact_to_company_unlabeled', label: null },
  1: { from: 'contacts', to: 'companies', reverse: 2, v3Name: 'contact_to_company', label: 'Primary' },
  280: { from: 'companies', to: 'contacts', reverse: 279, v3Name: 'company_to_contact_unlabeled', label: null },
  2: { from: 'companies', to: 'contacts', reverse: 1, v3Name: 'company_to_contact', label: 'Primary' },
  3: { from: 'deals', to: 'contacts', reverse: 4, v3Name: 'deal_to_contact', label: null },
  4: { from: 'contacts', to: 'deals', reverse: 3, v3Name: 'contact_to_deal', label: null },
  341: { from: 'deals', to: 'companies', reverse: 342, v3Name: 'deal_to_company_unlabeled', label: null },
  5: { from: 'deals', to: 'companies', reverse: 6, v3Name: 'deal_to_company', label: 'Primary' },
  342: { from: 'companies', to: 'deals', reverse: 341, v3Name: 'company_to_deal_unlabeled', label: null },
  6: { from: 'companies', to: 'deals', reverse: 5, v3Name: 'company_to_deal', label: 'Primary' },
}

/** A record's own primary (its one primary company), not the reverse label a company carries for each of its records. */
export function isOwnPrimary(typeId: number): boolean {
  const info = ASSOCIATION_TYPES[typeId]
  return info?.label === 'Primary' && info.to === 'companies'
}

/** The unlabeled type a "default" association creates for a pair of object types. */
export function defaultTypeId(from: ObjectType, to: ObjectType): number | undefined {
  const hit = Object.entries(ASSOCIATION_TYPES).find(([, i]) => i.from === from && i.to === to && i.label === null)
  return hit ? Number(hit[0]) : undefined
}

const key = (t: ObjectType, id: string): string => `${t}:${id}`

/** Both directions of every association, keyed by record. */
export class AssociationStore {
  private edges = new Map<string, Map<string, AssocSpec[]>>()

  reset(): void {
    this.edges.clear()
  }

  /** Adds the given types from→to and their reverses to→from. Returns true if anything changed. */
  add(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, specs: AssocSpec[]): boolean {
    let changed = false
    for (const s of specs) {
      const rev: AssocSpec = { category: s.category, typeId: ASSOCIATION_TYPES[s.typeId]?.reverse ?? s.typeId }
      changed = this.addOne(key(fromType, fromId), key(toType, toId), s) || changed
      this.addOne(key(toType, toId), key(fromType, fromId), rev)
    }
    return changed
  }

  private addOne(from: string, to: string, spec: AssocSpec): boolean {
    let m = this.edges.get(from)
    if (!m) this.edges.set(from, (m = new Map()))
    const list = m.get(to) ?? []
    if (list.some((s) => s.typeId === spec.typeId)) return false
    m.set(to, [...list, spec])
    return true
  }

  /** Removes all association types between the two records (both directions). */
  removeAll(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): boolean {
    const had = this.edges.get(key(fromType, fromId))?.delete(key(toType, toId)) ?? false
    this.edges.get(key(toType, toId))?.delete(key(fromType, fromId))
    return had
  }

  /** Removes only the given type ids (labels) and their reverses. */
  removeTypes(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeIds: number[]): void {
    const drop = (a: string, b: string, ids: number[]) => {
      const m = this.edges.get(a)
      const list = m?.get(b)
      if (!m || !list) return
      const rest = list.filter((s) => !ids.includes(s.typeId))
      if (rest.length) m.set(b, rest)
      else m.delete(b)
    }
    drop(key(fromType, fromId), key(toType, toId), typeIds)
    drop(key(toType, toId), key(fromType, fromId), typeIds.map((id) => ASSOCIATION_TYPES[id]?.reverse ?? id))
  }

  list(fromType: ObjectType, fromId: string, toType: ObjectType): Array<{ toId: string; specs: AssocSpec[] }> {
    const out: Array<{ toId: string; specs: AssocSpec[] }> = []
    const prefix = `${toType}:`
    for (const [k, specs] of this.edges.get(key(fromType, fromId)) ?? []) {
      if (k.startsWith(prefix)) out.push({ toId: k.slice(prefix.length), specs })
    }
    return out.sort((a, b) => Number(a.toId) - Number(b.toId))
  }

  has(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): boolean {
    return (this.edges.get(key(fromType, fromId))?.get(key(toType, toId))?.length ?? 0) > 0
  }

  /**
   * Merge: every association of `loserId` moves to `winnerId`, but the winner keeps its own
   * primary company: the loser's primary company comes over unlabelled when the winner has
   * one ("associations from the primary record will be prioritized … excess 'primary'
   * associations from secondary records will be dropped").
   * https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
   */
  moveAll(t: ObjectType, loserId: string, winnerId: string): void {
    const m = this.edges.get(key(t, loserId))
    if (!m) return
    const winnerPrimaries = new Set([...(this.edges.get(key(t, winnerId))?.values() ?? [])].flat().map((s) => s.typeId).filter(isOwnPrimary))
    for (const [other, specs] of [...m]) {
      const [otherType, otherId] = other.split(':') as [ObjectType, string]
      this.removeAll(t, loserId, otherType, otherId)
      if (otherType === t && otherId === winnerId) continue
      let kept = specs.filter((s) => !winnerPrimaries.has(s.typeId))
      const unlabeled = defaultTypeId(t, otherType)
      if (kept.length < specs.length && unlabeled !== undefined && !kept.some((s) => s.typeId === unlabeled)) {
        kept = [...kept, { category: 'HUBSPOT_DEFINED', typeId: unlabeled }]
      }
      this.add(t, winnerId, otherType, otherId, kept)
    }
    this.edges.delete(key(t, loserId))
  }
}
