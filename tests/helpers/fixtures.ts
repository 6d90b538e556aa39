import { randomUUID } from 'node:crypto'
import type { Sql } from '../../lib/store/db'

/** A HubSpot connection row for a tenant, with the sync's defaults. */
export async function insertConnection(sql: Sql, tenantId: string, portalId = '62515'): Promise<string> {
  const id = randomUUID()
  await sql`insert into crm_connections (id, tenant_id, provider, auth_method, portal_id)
            values (${id}, ${tenantId}, 'hubspot', 'private_app', ${portalId})`
  return id
}
