import { updateSettings, type Connection } from '../store/connections'
import { clearMissingExtraProperties } from '../store/field-options'
import type { Sql } from '../store/db'
import { connectionDisconnected, liveConnection } from './live-connection'
import { applySettingsChange, parseSettings, type SettingsChange } from './settings'
import { adapterForConnection } from './sync-service'
import { OBJECT_TYPES } from './types'

/**
 * Applies a settings change from the dashboard. Extra properties are checked with the CRM
 * first (a name it does not have is refused, naming it, and nothing is saved): its reads
 * would silently ignore the name, and the values would never arrive. A type's list saved
 * clears what the daily read found missing from it. Returns the updated connection; 404 when the
 * tenant has no such connection, 409 when it is disconnected (lib/crm/live-connection.ts).
 */
export async function changeSettings(sql: Sql, tenantId: string, connectionId: string, change: SettingsChange): Promise<Connection> {
  const connection = await liveConnection(sql, connectionId, tenantId)
  if (change.extraProperties) {
    const adapter = adapterForConnection(sql, connection, parseSettings(connection.settings))
    for (const type of OBJECT_TYPES) {
      const names = change.extraProperties[type]
      if (names?.length) await adapter.checkExtraProperties(type, names)
    }
  }
  const updated = await updateSettings(sql, tenantId, connectionId, (stored) => applySettingsChange(stored, change))
  // Found above, gone since: disconnected meanwhile.
  if (!updated) throw connectionDisconnected()
  // The lists just saved were checked above: whatever the last daily read found missing from them is not (any more).
  if (change.extraProperties) await clearMissingExtraProperties(sql, connectionId, OBJECT_TYPES.filter((t) => change.extraProperties![t] !== undefined))
  return updated
}
