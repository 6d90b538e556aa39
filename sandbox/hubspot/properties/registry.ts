import { OBJECT_TYPES, type ObjectType } from '../object-types.js'
import { builtInProperties, type PropertyDef } from './definitions.js'

/** The property definitions of one portal, built-in plus those created through the API. */
export class PropertyRegistry {
  private byType = new Map<ObjectType, Map<string, PropertyDef>>()

  constructor() {
    this.reset()
  }

  reset(): void {
    for (const t of OBJECT_TYPES) {
      this.byType.set(t, new Map(builtInProperties(t).map((p) => [p.name, p])))
    }
  }

  list(t: ObjectType, archived = false): PropertyDef[] {
    return [...this.byType.get(t)!.values()].filter((p) => p.archived === archived)
  }

  /** Live (non-archived) definition, or undefined. */
  get(t: ObjectType, name: string): PropertyDef | undefined {
    const p = this.byType.get(t)!.get(name)
    return p && !p.archived ? p : undefined
  }

  getIncludingArchived(t: ObjectType, name: string): PropertyDef | undefined {
    return this.byType.get(t)!.get(name)
  }

  put(t: ObjectType, p: PropertyDef): void {
    this.byType.get(t)!.set(p.name, p)
  }

  uniqueNames(t: ObjectType): string[] {
    return this.list(t).filter((p) => p.hasUniqueValue).map((p) => p.name)
  }
}
