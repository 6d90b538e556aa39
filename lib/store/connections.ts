import type { Db } from './db'

export interface ConnectionRow {
  id: string
  tenantId: string
  provider: string
  authMethod: string
  portalId: string | null
  status: string
  createdAt: Date
}

export async function listConnections(db: Db, tenantId: string): Promise<ConnectionRow[]> {
  const rows = await db`
    select id, tenant_id, provider, auth_method, portal_id, status, created_at
      from crm_connections
     where tenant_id = ${tenantId} and status <> 'disconnected'
     order by created_at`
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    provider: r.provider,
    authMethod: r.auth_method,
    portalId: r.portal_id,
    status: r.status,
    createdAt: r.created_at,
  }))
}
