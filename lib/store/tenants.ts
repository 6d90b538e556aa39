import type { Db, Sql } from './db'

/** The workspace a signed-in user belongs to (the one they own first, then the oldest). */
export async function tenantIdForUser(db: Db, userId: string): Promise<string | undefined> {
  const [row] = await db`select tenant_id from tenant_members where user_id = ${userId}
                          order by (role = 'owner') desc, created_at limit 1`
  return row?.tenant_id
}

/** A first sign-in gets its own workspace, owned by that user. */
export async function createTenantForUser(db: Sql, userId: string, name: string): Promise<string> {
  return db.begin(async (tx) => {
    const [t] = await tx`insert into tenants (name) values (${name.slice(0, 200) || 'Workspace'}) returning id`
    await tx`insert into tenant_members (tenant_id, user_id, role) values (${t.id}, ${userId}, 'owner')`
    return t.id as string
  }) as Promise<string>
}
