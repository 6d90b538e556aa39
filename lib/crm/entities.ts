import type { SyncObjectType as Entity } from './types'

// Which object types a connection syncs, and what each one links to. Pure and free of
// server imports: the dashboard's settings form uses this in the browser.

/**
 * What each object type links to. A type syncs only together with the types it links to:
 * with companies off, a company the app gives a contact could not be sent to HubSpot (the
 * company never gets there), and the next pull would put the CRM's company back over it.
 */
export const ENTITY_NEEDS: Record<Entity, Entity[]> = { owner: [], company: ['owner'], contact: ['company', 'owner'], deal: ['contact', 'company', 'owner'] }
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
