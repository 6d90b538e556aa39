import { OBJECT_TYPES, type ObjectType } from './object-types.js'
import type { Rec } from './record.js'
import { getValue } from './record.js'

/**
 * All records of the portal, one Map per object type (insertion order = creation order),
 * plus unique-value indexes (contact email and custom `hasUniqueValue` properties) over
 * live records. Plain objects only, so a million contacts fit in a few GB.
 */
export class ObjectStore {
  private records = new Map<ObjectType, Map<string, Rec>>()
  private unique = new Map<ObjectType, Map<string, Map<string, string>>>()
  private nextId = 10001
  /** Numeric ids per type in creation order, so list paging by id is a binary search. */
  private order = new Map<ObjectType, number[]>()

  constructor() {
    this.reset()
  }

  reset(): void {
    for (const t of OBJECT_TYPES) {
      this.records.set(t, new Map())
      this.order.set(t, [])
      this.unique.set(t, new Map(t === 'contacts' ? [['email', new Map()]] : []))
    }
    this.nextId = 10001
  }

  newId(): string {
    return String(this.nextId++)
  }

  all(t: ObjectType): Map<string, Rec> {
    return this.records.get(t)!
  }

  size(t: ObjectType): number {
    return this.records.get(t)!.size
  }

  /** The stored version, following merges to the surviving record. */
  get(t: ObjectType, id: string): Rec | undefined {
    let rec = this.records.get(t)!.get(id)
    for (let hops = 0; rec?.mergedInto && hops < 10; hops++) rec = this.records.get(t)!.get(rec.mergedInto)
    return rec
  }

  /** Without following merges (the raw version under this id). */
  getRaw(t: ObjectType, id: string): Rec | undefined {
    return this.records.get(t)!.get(id)
  }

  put(rec: Rec): void {
    const map = this.records.get(rec.type)!
    const prev = map.get(rec.id)
    for (const [prop, index] of this.unique.get(rec.type)!) {
      const oldVal = prev && !prev.archived && !prev.mergedInto ? uniqueKey(prop, getValue(prev, prop)) : null
      const newVal = !rec.archived && !rec.mergedInto ? uniqueKey(prop, getValue(rec, prop)) : null
      if (oldVal !== null && oldVal !== newVal && index.get(oldVal) === rec.id) index.delete(oldVal)
      if (newVal !== null) index.set(newVal, rec.id)
    }
    if (!prev) this.order.get(rec.type)!.push(Number(rec.id))
    map.set(rec.id, rec)
  }

  /** Ids in creation order (may include ids since hard-deleted; check `getRaw`). */
  orderedIds(t: ObjectType): number[] {
    return this.order.get(t)!
  }

  delete(t: ObjectType, id: string): void {
    const rec = this.records.get(t)!.get(id)
    if (!rec) return
    this.put({ ...rec, archived: true })
    this.records.get(t)!.delete(id)
  }

  /** Live record id holding this unique value, if the property is indexed. */
  findUnique(t: ObjectType, prop: string, value: string): string | undefined | null {
    const index = this.unique.get(t)!.get(prop)
    if (!index) return null // not indexed
    const key = uniqueKey(prop, value)
    return key === null ? undefined : index.get(key)
  }

  /** Starts indexing a property newly marked `hasUniqueValue`. */
  indexUnique(t: ObjectType, prop: string): void {
    const index = new Map<string, string>()
    for (const rec of this.records.get(t)!.values()) {
      const k = !rec.archived && !rec.mergedInto ? uniqueKey(prop, getValue(rec, prop)) : null
      if (k !== null) index.set(k, rec.id)
    }
    this.unique.get(t)!.set(prop, index)
  }

  /** Finds a live record by id or by another property (`idProperty`). */
  findBy(t: ObjectType, value: string, idProperty?: string, archived = false): Rec | undefined {
    if (!idProperty || idProperty === 'hs_object_id') {
      const rec = this.get(t, value)
      return rec && rec.archived === archived ? rec : undefined
    }
    if (!archived) {
      const id = this.findUnique(t, idProperty, value)
      if (id !== null) return id ? this.get(t, id) : undefined
    }
    for (const rec of this.records.get(t)!.values()) {
      if (rec.archived === archived && !rec.mergedInto && getValue(rec, idProperty) === value) return rec
    }
    return undefined
  }
}

function uniqueKey(prop: string, value: string | null): string | null {
  if (value === null || value === '') return null
  return prop === 'email' ? value.toLowerCase() : value
}
