import { randomUUID } from 'node:crypto'
import { sealCredentials } from '../lib/crm/auth/credentials'
import type { ConnectionSettingsInput } from '../lib/crm/settings'
import { createConnection } from '../lib/store/connections'
import type { Sql } from '../lib/store/db'

export const SANDBOX_TOKEN = 'sandbox-token'

/** A fresh tenant with one contacts-only connection to the sandbox. */
export async function benchConnection(sql: Sql, baseUrl: string, settings: ConnectionSettingsInput): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = randomUUID()
  await sql`insert into tenants (id, name) values (${tenantId}, 'bench')`
  const c = await createConnection(sql, {
    tenantId, authMethod: 'private_app', portalId: '62515', apiBaseUrl: baseUrl,
    credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: SANDBOX_TOKEN }),
    settings: { direction: 'pull', entities: { company: false, deal: false }, lookbackMs: 0, ...settings },
  })
  return { tenantId, connectionId: c.id }
}
