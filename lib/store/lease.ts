import type { Db } from './db'

// One sync run at a time per connection. A lease row, not an advisory lock: Supabase's
// transaction pooler does not keep session state, and a crashed holder's lease simply
// expires. Holders renew it as they go.

export async function acquireLease(db: Db, connectionId: string, owner: string, ttlMs: number): Promise<boolean> {
  const rows = await db`
    update crm_connections
       set sync_lease_owner = ${owner}, sync_lease_until = now() + make_interval(secs => ${ttlMs / 1000}), sync_lease_renewed_at = now()
     where id = ${connectionId}
       and (sync_lease_until is null or sync_lease_until < now() or sync_lease_owner = ${owner})
    returning id`
  return rows.length === 1
}

export async function renewLease(db: Db, connectionId: string, owner: string, ttlMs: number): Promise<boolean> {
  const rows = await db`
    update crm_connections set sync_lease_until = now() + make_interval(secs => ${ttlMs / 1000}), sync_lease_renewed_at = now()
     where id = ${connectionId} and sync_lease_owner = ${owner}
    returning id`
  return rows.length === 1
}

export async function releaseLease(db: Db, connectionId: string, owner: string): Promise<void> {
  await db`update crm_connections set sync_lease_owner = null, sync_lease_until = null, sync_lease_renewed_at = null
            where id = ${connectionId} and sync_lease_owner = ${owner}`
}

/** A live lease, as seen now by the database's clock: how long since its holder last renewed it, and until it expires. */
export interface LeaseHold {
  /** Seconds since the holder took or last renewed it (null: taken before this was recorded). */
  sinceRenewedSeconds: number | null
  /** Seconds until it expires, when another run can take it. */
  leftSeconds: number
}

/** The connection's sync lease if one is live, else null. */
export async function leaseHold(db: Db, connectionId: string): Promise<LeaseHold | null> {
  const [row] = await db`
    select extract(epoch from now() - sync_lease_renewed_at)::float8 as since, extract(epoch from sync_lease_until - now())::float8 as left
      from crm_connections where id = ${connectionId} and sync_lease_until > now()`
  if (!row) return null
  return { sinceRenewedSeconds: row.since === null ? null : Math.max(0, Math.floor(row.since)), leftSeconds: Math.max(1, Math.ceil(row.left)) }
}
