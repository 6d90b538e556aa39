import type { Db, Sql } from './db'

/** The workspace a signed-in user belongs to (the one they own first, then the oldest). */
export async function tenantIdForUser(db: Db, userId: string): Promise<string | undefined> {
  const [row] = await db`select tenant_id from tenant_members where user_id = ${userId}
                          order by (role = 'owner') desc, created_at limit 1`
  return row?.tenant_id
}

/**
 * The signed-in user's workspace; a first sign-in gets its own, owned by that user. Made
 * under a lock per user, looked for again once it is held: a first sign-in's requests come
 * together (the dashboard and its API calls, a second tab), and each one that found no
 * workspace made another, so one person got several and a connection made in one of the
 * later ones was never shown again. A transaction-scoped advisory lock also holds through
 * Supabase's transaction pooler.
 */
export async function workspaceOfUser(db: Sql, userId: string, name: string): Promise<string> {
  const found = await tenantIdForUser(db, userId)
  if (found) return found
  return db.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('syncline:first-sign-in'), hashtext(${userId}))`
    const made = await tenantIdForUser(tx, userId)
    if (made) return made
    const [t] = await tx`insert into tenants (name) values (${name.slice(0, 200) || 'Workspace'}) returning id`
    await tx`insert into tenant_members (tenant_id, user_id, role) values (${t.id}, ${userId}, 'owner')`
    return t.id as string
  }) as Promise<string>
}
