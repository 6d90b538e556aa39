import type { Db, Sql } from './db'

export type AuthMethod = 'nango' | 'oauth' | 'private_app'
export type ConnectionStatus = 'active' | 'paused' | 'needs_reauth' | 'disconnected' | 'error'

export interface Connection {
  id: string
  tenantId: string
  provider: 'hubspot'
  authMethod: AuthMethod
  nangoConnectionId: string | null
  nangoProviderConfigKey: string | null
  credentialsEncrypted: string | null
  tokenExpiresAt: Date | null
  portalId: string | null
  apiBaseUrl: string | null
  label: string | null
  status: ConnectionStatus
  statusReason: string | null
  settings: unknown
  nextSyncAt: Date | null
  lastSyncedAt: Date | null
  webhooksEnabled: boolean
  webhookTotalReceived: number
  webhookLastReceivedAt: Date | null
  /** A page kept the app's companies apart from the CRM's while companies were off (lib/store/kept-companies.ts). */
  companiesToReconcile: boolean
  /** Extra properties (settings.extraProperties) the CRM no longer had at its last read, by object type. */
  extraPropertiesMissing: Partial<Record<'contact' | 'company' | 'deal', string[]>>
  createdAt: Date
}

function toConnection(r: Record<string, unknown>): Connection {
  return {
    id: r.id as string, tenantId: r.tenant_id as string, provider: r.provider as 'hubspot',
    authMethod: r.auth_method as AuthMethod, nangoConnectionId: r.nango_connection_id as string | null,
    nangoProviderConfigKey: r.nango_provider_config_key as string | null,
    credentialsEncrypted: r.credentials_encrypted as string | null, tokenExpiresAt: r.token_expires_at as Date | null,
    portalId: r.portal_id as string | null, apiBaseUrl: r.api_base_url as string | null, label: r.label as string | null,
    status: r.status as ConnectionStatus, statusReason: r.status_reason as string | null, settings: r.settings,
    nextSyncAt: r.next_sync_at as Date | null, lastSyncedAt: r.last_synced_at as Date | null,
    webhooksEnabled: r.webhooks_enabled as boolean, webhookTotalReceived: Number(r.webhook_total_received),
    webhookLastReceivedAt: r.webhook_last_received_at as Date | null, companiesToReconcile: r.companies_to_reconcile === true,
    extraPropertiesMissing: (r.extra_properties_missing ?? {}) as Connection['extraPropertiesMissing'], createdAt: r.created_at as Date,
  }
}

export async function listConnections(db: Db, tenantId: string): Promise<Connection[]> {
  const rows = await db`select * from crm_connections where tenant_id = ${tenantId} and status <> 'disconnected' order by created_at`
  return rows.map(toConnection)
}

/** The tenant's most recently disconnected connection, if any (listConnections leaves them out). */
export async function lastDisconnectedConnection(db: Db, tenantId: string): Promise<Connection | undefined> {
  const [row] = await db`select * from crm_connections where tenant_id = ${tenantId} and status = 'disconnected' order by updated_at desc, created_at desc limit 1`
  return row ? toConnection(row) : undefined
}

/**
 * The portals and settings of the tenant's disconnected connections, the last disconnected
 * first: what the dashboard names when none is in use (one read, only then).
 */
export async function disconnectedConnections(db: Db, tenantId: string): Promise<Array<Pick<Connection, 'portalId' | 'settings'>>> {
  const rows = await db`select portal_id, settings from crm_connections where tenant_id = ${tenantId} and status = 'disconnected'
                        order by updated_at desc, created_at desc`
  return rows.map((r) => ({ portalId: r.portal_id as string | null, settings: r.settings }))
}

export async function getConnection(db: Db, id: string): Promise<Connection | undefined> {
  const [row] = await db`select * from crm_connections where id = ${id}`
  return row ? toConnection(row) : undefined
}

export async function getTenantConnection(db: Db, tenantId: string, id: string): Promise<Connection | undefined> {
  const [row] = await db`select * from crm_connections where id = ${id} and tenant_id = ${tenantId}`
  return row ? toConnection(row) : undefined
}

export interface NewConnection {
  tenantId: string
  authMethod: AuthMethod
  credentialsEncrypted?: string | null
  tokenExpiresAt?: Date | null
  nangoConnectionId?: string | null
  nangoProviderConfigKey?: string | null
  portalId?: string | null
  apiBaseUrl?: string | null
  label?: string | null
  settings?: unknown
}

export async function createConnection(db: Db, c: NewConnection): Promise<Connection> {
  const [row] = await db`
    insert into crm_connections (tenant_id, provider, auth_method, credentials_encrypted, token_expires_at,
      nango_connection_id, nango_provider_config_key, portal_id, api_base_url, label, settings, next_sync_at)
    values (${c.tenantId}, 'hubspot', ${c.authMethod}, ${c.credentialsEncrypted ?? null}, ${c.tokenExpiresAt ?? null},
      ${c.nangoConnectionId ?? null}, ${c.nangoProviderConfigKey ?? null}, ${c.portalId ?? null}, ${c.apiBaseUrl ?? null},
      ${c.label ?? null}, ${db.json((c.settings ?? {}) as never)}, now())
    returning *`
  return toConnection(row)
}

/**
 * Connecting a CRM account the tenant is already connected to (by any method) re-authorizes
 * that connection instead of adding a second one: two connections to one account would each
 * import its companies and deals, and push every edit twice. The connection keeps its id,
 * links, cursors, settings and history; its credentials and auth method are replaced, and
 * a connection that needed re-authorizing is active again. So does connecting an account
 * again after disconnecting it: the newest disconnected connection to it is revived (its
 * outbox kept the app's edits meanwhile, and they are pushed with its next sync), unless a
 * live one exists. Serialized per tenant and account, so two connects at once still leave
 * one connection.
 */
export async function saveConnection(sql: Sql, c: NewConnection & { portalId: string }): Promise<{ connection: Connection; created: boolean }> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`connect:${c.tenantId}:hubspot:${c.portalId}`}, 0))`
    const [row] = await tx`
      update crm_connections set auth_method = ${c.authMethod}, credentials_encrypted = ${c.credentialsEncrypted ?? null},
             token_expires_at = ${c.tokenExpiresAt ?? null}, nango_connection_id = ${c.nangoConnectionId ?? null},
             nango_provider_config_key = ${c.nangoProviderConfigKey ?? null}, api_base_url = ${c.apiBaseUrl ?? null},
             status = case when status in ('needs_reauth', 'error', 'disconnected') then 'active' else status end,
             status_reason = case when status in ('needs_reauth', 'error', 'disconnected') then null else status_reason end
       where id = (select id from crm_connections
                    where tenant_id = ${c.tenantId} and provider = 'hubspot' and portal_id = ${c.portalId}
                    order by status = 'disconnected', case when status = 'disconnected' then -extract(epoch from updated_at) end, created_at
                    limit 1)
      returning *`
    if (row) return { connection: toConnection(row), created: false }
    return { connection: await createConnection(tx, c), created: true }
  })
}

export async function updateCredentials(db: Db, id: string, credentialsEncrypted: string, tokenExpiresAt: Date | null): Promise<void> {
  await db`update crm_connections set credentials_encrypted = ${credentialsEncrypted}, token_expires_at = ${tokenExpiresAt},
            status = case when status = 'needs_reauth' then 'active' else status end, status_reason = null
            where id = ${id}`
}

export async function setConnectionStatus(db: Db, id: string, status: ConnectionStatus, reason: string | null): Promise<void> {
  await db`update crm_connections set status = ${status}, status_reason = ${reason} where id = ${id}`
}

/**
 * A connection's settings as they are now, its row locked (FOR KEY SHARE) until the
 * transaction ends: a settings save (updateSettings, FOR UPDATE) committed before this is what
 * is read, one not committed yet is waited for, and one begun after waits until this commits.
 * The weakest lock that does so, as a foreign key's check takes: nothing else that writes the
 * row (the lease, webhook counts, a page's noteKeptCompanies) waits for it, nor another page
 * (a full sync's batch waits, inside its transaction, for the batch before it to commit,
 * pull/full.ts: a lock between the two would hold the earlier one for good).
 */
export async function lockedSettings(tx: Db, id: string): Promise<unknown> {
  const [row] = await tx`select settings from crm_connections where id = ${id} for key share`
  return row?.settings
}

/**
 * Replaces a tenant's connection's settings with what `change` makes of the stored ones, in
 * one transaction (the row is locked, so two changes at once both apply). The next scheduled
 * sync moves with the frequency. Undefined when there is no such live connection.
 */
export async function updateSettings(sql: Sql, tenantId: string, id: string, change: (stored: unknown) => Record<string, unknown>): Promise<Connection | undefined> {
  return sql.begin(async (tx) => {
    // FOR UPDATE, not NO KEY UPDATE: it must wait for a page that read the strategy (lockedSettings).
    const [row] = await tx`select settings from crm_connections where id = ${id} and tenant_id = ${tenantId} and status <> 'disconnected' for update`
    if (!row) return undefined
    const next = change(row.settings)
    const minutes = typeof next.frequencyMinutes === 'number' ? next.frequencyMinutes : null
    const [updated] = await tx`
      update crm_connections set settings = ${tx.json(next as never)},
             next_sync_at = case when ${minutes}::int is null or next_sync_at is null then next_sync_at
                                 else coalesce(last_synced_at, now()) + make_interval(mins => ${minutes}::int) end
       where id = ${id} returning *`
    return toConnection(updated)
  })
}

export async function markSynced(db: Db, id: string, frequencyMinutes: number): Promise<void> {
  await db`update crm_connections set last_synced_at = now(),
            next_sync_at = now() + make_interval(mins => ${frequencyMinutes}) where id = ${id}`
}

/** Active connections whose scheduled sync is due, oldest first. */
export async function listDueConnections(db: Db, limit: number): Promise<Connection[]> {
  const rows = await db`select * from crm_connections where status = 'active' and (next_sync_at is null or next_sync_at <= now())
                         order by next_sync_at nulls first limit ${limit}`
  return rows.map(toConnection)
}

export async function findConnectionByNangoId(db: Db, tenantId: string, nangoConnectionId: string): Promise<Connection | undefined> {
  const [row] = await db`select * from crm_connections where tenant_id = ${tenantId} and nango_connection_id = ${nangoConnectionId}
                          and status <> 'disconnected' order by created_at desc limit 1`
  return row ? toConnection(row) : undefined
}

/** Disconnects: credentials are wiped (not kept around unused), history stays. */
export async function disconnectConnection(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db`update crm_connections set status = 'disconnected', status_reason = 'disconnected by a user',
                         credentials_encrypted = null, token_expires_at = null, next_sync_at = null
                         where id = ${id} and tenant_id = ${tenantId} and status <> 'disconnected' returning id`
  return rows.length > 0
}
