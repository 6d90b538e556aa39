import { supabaseAuthEnabled } from './auth/config'

// The embedded default has one local workspace and no sign-in; with Supabase Auth
// configured the tenant comes from the signed-in user's tenant_members row (lib/auth).
export const LOCAL_TENANT_ID = '00000000-0000-0000-0000-000000000001'

export async function currentTenantId(): Promise<string> {
  if (!supabaseAuthEnabled()) return LOCAL_TENANT_ID
  const { sessionTenantId } = await import('./auth/session-tenant')
  return sessionTenantId()
}
