import { z } from 'zod'
import { HttpError } from '../http'
import { getSql } from '../store/db'
import { workspaceOfUser } from '../store/tenants'
import { createSupabaseServerClient } from './supabase-server'
import { AUTH_UNREACHABLE, authUnreachable } from './unreachable'

/** The claims this app reads from a verified access token. */
const Claims = z.object({ sub: z.uuid(), email: z.string().optional() })

/**
 * The signed-in user's workspace, from tenant_members. getClaims() (not getSession()) checks
 * the access token's signature rather than trusting the cookie's contents: against the
 * project's published keys (JWKS, cached in the process) when the project signs with an
 * asymmetric key, Supabase's default for new projects, so a request costs no call to Supabase
 * Auth; by asking Supabase Auth, as getUser() does, when it signs with the legacy shared secret.
 * getUser() asked on every request, and proxy.ts asked once more for the same page or poll.
 * The price, as Supabase documents it: a session revoked elsewhere stays usable until its
 * access token expires (an hour by default).
 * https://supabase.com/docs/reference/javascript/auth-getclaims
 * https://supabase.com/docs/guides/auth/server-side/nextjs
 */
export async function sessionTenantId(): Promise<string> {
  const supabase = await createSupabaseServerClient()
  const { data, error } = await supabase.auth.getClaims()
  // Still a 401 (the dashboard sends a 401 to /login, whose form says the same), but logged and said.
  if (error && authUnreachable(error)) throw new HttpError(401, 'auth_unavailable', AUTH_UNREACHABLE)
  const claims = Claims.safeParse(data?.claims)
  if (error || !claims.success) throw new HttpError(401, 'unauthenticated', 'Sign in to use Syncline')
  const sql = await getSql()
  return workspaceOfUser(sql, claims.data.sub, claims.data.email || 'Workspace')
}
