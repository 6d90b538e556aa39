import type { SyncObjectType as Entity } from './types'

// Which object types a connection syncs, and what each one links to. Pure and free of
// server imports: the dashboard's settings form uses this in the browser.

/**
 * What each object type needs to sync. Every record names its owner, and owners are one
 * read a run. A deal's contacts are part of the deal both ways (a three-way merge of its
 * list), so deals need contacts. Companies may be off: a record's company is then the app's
 * own, never sent, and the CRM's waits to be linked when companies are turned on (see
 * PageContext.companies in lib/crm/pull/apply-page.ts).
 */
export const ENTITY_NEEDS: Record<Entity, Entity[]> = { owner: [], company: ['owner'], contact: ['owner'], deal: ['contact', 'owner'] }
const ENTITY_LABEL: Record<Entity, string> = { owner: 'owners', company: 'companies', contact: 'contacts', deal: 'deals' }

/** Pure: why a set of object types cannot sync as chosen, or null. */
export function entitiesProblem(entities: Record<Entity, boolean>): string | null {
  // A connection that syncs nothing is a disconnected one that still looks connected.
  if (!Object.values(entities).some(Boolean)) return 'Sync at least one of owners, companies, contacts and deals (to stop syncing, disconnect)'
  for (const type of Object.keys(ENTITY_NEEDS) as Entity[]) {
    const missing = entities[type] ? ENTITY_NEEDS[type].filter((t) => !entities[t]) : []
    if (missing.length > 0) {
      return `${ENTITY_LABEL[type][0].toUpperCase()}${ENTITY_LABEL[type].slice(1)} link to ${ENTITY_NEEDS[type].map((t) => ENTITY_LABEL[t]).join(' and ')}: `
        + `turn ${missing.map((t) => ENTITY_LABEL[t]).join(' and ')} on too, or ${ENTITY_LABEL[type]} off`
    }
  }
  return null
}
