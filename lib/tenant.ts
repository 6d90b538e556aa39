import { supabaseAuthEnabled } from './auth/config'
import { env, signInMissing } from './env'
import { HttpError } from './http'

// The embedded default has one local workspace and no sign-in; with Supabase Auth
// configured the tenant comes from the signed-in user's tenant_members row (lib/auth).
export const LOCAL_TENANT_ID = '00000000-0000-0000-0000-000000000001'

export async function currentTenantId(): Promise<string> {
  // A production server with no sign-in configured fails closed: handing every visitor the
  // local workspace is what `SYNCLINE_SINGLE_TENANT=true` must say out loud.
  if (signInMissing(env())) {
    throw new HttpError(503, 'sign_in_not_configured',
      'Sign-in is not configured: set NEXT_PUBLIC_SUPABASE_URL and NEXT_PUBLIC_SUPABASE_ANON_KEY, '
      + 'or SYNCLINE_SINGLE_TENANT=true if something in front of the app signs people in')
  }
  if (!supabaseAuthEnabled()) return LOCAL_TENANT_ID
  const { sessionTenantId } = await import('./auth/session-tenant')
  return sessionTenantId()
}
