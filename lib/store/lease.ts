import type { Db } from './db'

// One sync run at a time per connection. A lease row, not an advisory lock: Supabase's
// transaction pooler does not keep session state, and a crashed holder's lease simply
// expires. Holders renew it as they go.

export async function acquireLease(db: Db, connectionId: string, owner: string, ttlMs: number): Promise<boolean> {
  const rows = await db`
    update crm_connections
       set sync_lease_owner = ${owner}, sync_lease_until = now() + make_interval(secs => ${ttlMs / 1000})
     where id = ${connectionId}
       and (sync_lease_until is null or sync_lease_until < now() or sync_lease_owner = ${owner})
    returning id`
  return rows.length === 1
}

export async function renewLease(db: Db, connectionId: string, owner: string, ttlMs: number): Promise<boolean> {
  const rows = await db`
    update crm_connections set sync_lease_until = now() + make_interval(secs => ${ttlMs / 1000})
     where id = ${connectionId} and sync_lease_owner = ${owner}
    returning id`
  return rows.length === 1
}

export async function releaseLease(db: Db, connectionId: string, owner: string): Promise<void> {
  await db`update crm_connections set sync_lease_owner = null, sync_lease_until = null
            where id = ${connectionId} and sync_lease_owner = ${owner}`
}
