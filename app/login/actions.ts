'use server'
import { z } from 'zod'
import { createSupabaseServerClient, supabaseAuthEnabled } from '@/lib/auth/supabase-server'
import { AUTH_UNREACHABLE, authUnreachable } from '@/lib/auth/unreachable'
import { env } from '@/lib/env'

export interface LoginState { sent?: string; error?: string }

/** Emails a magic link; its callback (app/auth/callback) turns the code into a session. */
export async function sendMagicLink(_prev: LoginState, form: FormData): Promise<LoginState> {
  // Reachable by a hand-made POST where /login itself redirects home: an answer, not a 500.
  if (!supabaseAuthEnabled()) return { error: 'Sign-in is not configured on this server' }
  const email = z.email().max(254).safeParse(String(form.get('email') ?? '').trim())
  if (!email.success) return { error: 'Enter a valid email address' }
  const supabase = await createSupabaseServerClient()
  // https://supabase.com/docs/reference/javascript/auth-signinwithotp
  const { error } = await supabase.auth.signInWithOtp({ email: email.data, options: { emailRedirectTo: new URL('/auth/callback', env().APP_URL).toString() } })
  if (error) return { error: authUnreachable(error) ? AUTH_UNREACHABLE : error.message }
  return { sent: email.data }
}
