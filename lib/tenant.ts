// The embedded default has one local workspace and no sign-in; with Supabase Auth
// configured the tenant comes from the signed-in user (see lib/auth when added).
export const LOCAL_TENANT_ID = '00000000-0000-0000-0000-000000000001'

export async function currentTenantId(): Promise<string> {
  return LOCAL_TENANT_ID
}
