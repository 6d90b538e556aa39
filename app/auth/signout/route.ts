import { createSupabaseServerClient, supabaseAuthEnabled } from '@/lib/auth/supabase-server'
import { env } from '@/lib/env'
import { route } from '@/lib/http'

export const POST = route(async () => {
  if (supabaseAuthEnabled()) await (await createSupabaseServerClient()).auth.signOut()
  return Response.redirect(new URL('/login', env().APP_URL), 303)
})
