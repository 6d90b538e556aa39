import type { Db } from './db'

// The one column that holds sealed secrets (lib/secrets.ts): crm_connections.credentials_encrypted.
// Re-sealing it under a new TOKEN_ENCRYPTION_KEY writes the same tokens, so it must never land
// on top of tokens a refresh wrote meanwhile (HubSpot's refresh answers new ones; writing the
// old ones back would undo it): every write here is a compare-and-set on the value it replaces.

/**
 * Replaces a connection's sealed credentials with `to` only while they are still `from`.
 * False when something else (a refresh, a reconnect, a disconnect) wrote them first: what it
 * wrote is newer, and was sealed under the current key by whoever wrote it.
 */
export async function resealCredentials(db: Db, connectionId: string, from: string, to: string): Promise<boolean> {
  const rows = await db`update crm_connections set credentials_encrypted = ${to}
                         where id = ${connectionId} and credentials_encrypted = ${from}
                        returning id`
  return rows.length === 1
}

export interface SealedCredentials {
  connectionId: string
  tenantId: string
  label: string | null
  sealed: string
}

/**
 * Every connection's sealed credentials, in every tenant (the rotation CLI's view: it runs as
 * the database owner), locked FOR UPDATE until the transaction ends so that no refresh writes
 * one between its reading and its re-sealing.
 */
export async function lockAllSealedCredentials(tx: Db): Promise<SealedCredentials[]> {
  const rows = await tx`select id, tenant_id, label, credentials_encrypted from crm_connections
                         where credentials_encrypted is not null
                         order by created_at, id
                           for update`
  return rows.map((r) => ({ connectionId: r.id as string, tenantId: r.tenant_id as string, label: r.label as string | null, sealed: r.credentials_encrypted as string }))
}
