import { z } from 'zod'
import { supabaseAuthEnabled } from '@/lib/auth/config'
import { createSupabaseServerClient } from '@/lib/auth/supabase-server'
import { env } from '@/lib/env'
import { route } from '@/lib/http'

// A person lands here from the email, in the browser: every failure goes back to the sign-in
// page with a line to read, never to a JSON body. Supabase itself sends the browser here with
// ?error=…&error_description=… instead of a code when the link has expired or was used.
// https://supabase.com/docs/guides/auth/debugging/error-codes
const querySchema = z.object({ code: z.string().min(1).max(1024) })
const refusedSchema = z.object({ error_description: z.string().min(1).transform((s) => s.slice(0, 300)) })

const redirect = (path: string, error?: string) => {
  const url = new URL(path, env().APP_URL)
  if (error) url.searchParams.set('error', error)
  return Response.redirect(url, 303)
}

/** The magic link lands here: its code becomes a session cookie. https://supabase.com/docs/guides/auth/server-side/nextjs */
export const GET = route(async (req: Request) => {
  // The embedded default has no sign-in (as /login): there is nothing to finish.
  if (!supabaseAuthEnabled()) return redirect('/')
  const params = Object.fromEntries(new URL(req.url).searchParams)
  const query = querySchema.safeParse(params)
  if (!query.success) {
    const refused = refusedSchema.safeParse(params)
    return redirect('/login', `${refused.success ? refused.data.error_description : 'This sign-in link is incomplete'}: ask for a new one below.`)
  }
  const supabase = await createSupabaseServerClient()
  const { error } = await supabase.auth.exchangeCodeForSession(query.data.code)
  if (error) return redirect('/login', 'This sign-in link is invalid or expired: ask for a new one below.')
  return redirect('/')
})
