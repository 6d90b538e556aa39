import { z } from 'zod'
import { HttpError } from '../http'
import { getConnection, type Connection } from '../store/connections'
import type { Db } from '../store/db'

// What every route that acts on one connection answers when it cannot: the same two answers
// from each. Refresh CRM answered a disconnected connection 404 "No such connection" while
// push-unlinked answered 409, and the webhook routes 404 "No such CRM connection".

/** No connection of this workspace has the id (another workspace's is as absent as none). */
export const noSuchConnection = () => new HttpError(404, 'not_found', 'No such connection')

/**
 * The connection is there but disconnected. Connecting the same HubSpot account again brings
 * this connection back, with its settings, links and history (saveConnection).
 */
export const connectionDisconnected = () =>
  new HttpError(409, 'disconnected', 'This connection is disconnected: connect the same HubSpot portal again from the dashboard to bring it back')

/**
 * The refusal above, wherever it was thrown: runSync throws it too, for a connection
 * disconnected after its caller looked. A state to skip or answer, not a failure to log.
 */
export const isConnectionDisconnected = (e: unknown): boolean => e instanceof HttpError && e.code === 'disconnected'

const idSchema = z.uuid()

/**
 * Connection `id`, not disconnected: else 404 (none, another tenant's, or an id that is not a
 * UUID: it names nothing) or 409 (disconnected). Asked for a tenant (every route), another
 * tenant's connection is as absent as none; the CLI, with no tenant, may name any.
 */
export async function liveConnection(db: Db, id: string, tenantId: string | undefined): Promise<Connection> {
  const connection = idSchema.safeParse(id).success ? await getConnection(db, id) : undefined
  if (!connection || (tenantId !== undefined && connection.tenantId !== tenantId)) throw noSuchConnection()
  if (connection.status === 'disconnected') throw connectionDisconnected()
  return connection
}
