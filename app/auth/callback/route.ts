import { z } from 'zod'
import { createSupabaseServerClient } from '@/lib/auth/supabase-server'
import { env } from '@/lib/env'
import { HttpError, route } from '@/lib/http'

const querySchema = z.object({ code: z.string({ error: 'code is required' }).min(1).max(1024) })

/** The magic link lands here: its code becomes a session cookie. https://supabase.com/docs/guides/auth/server-side/nextjs */
export const GET = route(async (req: Request) => {
  const { code } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams))
  const supabase = await createSupabaseServerClient()
  const { error } = await supabase.auth.exchangeCodeForSession(code)
  if (error) throw new HttpError(400, 'invalid_code', 'This sign-in link is invalid or expired')
  return Response.redirect(new URL('/', env().APP_URL), 303)
})
