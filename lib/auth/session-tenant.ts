import { HttpError } from '../http'
import { getSql } from '../store/db'
import { workspaceOfUser } from '../store/tenants'
import { createSupabaseServerClient } from './supabase-server'
import { AUTH_UNREACHABLE, authUnreachable } from './unreachable'

/**
 * The signed-in user's workspace, from tenant_members. getUser() (not getSession()) asks
 * Supabase to vouch for the token rather than trusting the cookie's contents.
 * https://supabase.com/docs/reference/javascript/auth-getuser
 */
export async function sessionTenantId(): Promise<string> {
  const supabase = await createSupabaseServerClient()
  const { data, error } = await supabase.auth.getUser()
  // Still a 401 (the dashboard sends a 401 to /login, whose form says the same), but logged and said.
  if (error && authUnreachable(error)) throw new HttpError(401, 'auth_unavailable', AUTH_UNREACHABLE)
  if (error || !data.user) throw new HttpError(401, 'unauthenticated', 'Sign in to use Syncline')
  const sql = await getSql()
  return workspaceOfUser(sql, data.user.id, data.user.email ?? 'Workspace')
}
