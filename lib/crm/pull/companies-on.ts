import type { Connection } from '../../store/connections'
import type { Sql } from '../../store/db'
import { reconcileKeptCompanies } from '../../store/kept-companies'
import { referenceEntry } from '../reference-entry'
import type { ConnectionSettings } from '../settings'

/**
 * Companies back on after a while off: records whose company the CRM changed meanwhile
 * take the CRM's, unless the app changed it too (the app's change, held in the outbox
 * while off, goes to the CRM instead). Called under the sync lease, before a run's first
 * phase and before a webhook drain, so no page reads a record before it is settled. A
 * company new to the app links when the run's company phase brings it. Returns how many
 * records moved; nothing to do unless a page kept companies apart (the connection's flag).
 */
export async function settleKeptCompanies(sql: Sql, connection: Pick<Connection, 'id' | 'tenantId' | 'companiesToReconcile'>,
  settings: ConnectionSettings): Promise<number> {
  if (!connection.companiesToReconcile || !settings.entities.company || settings.direction === 'push') return 0
  return reconcileKeptCompanies(sql, connection.tenantId, connection.id, referenceEntry(null))
}
