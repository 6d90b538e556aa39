'use server'
import { z } from 'zod'
import { createSupabaseServerClient } from '@/lib/auth/supabase-server'
import { env } from '@/lib/env'

export interface LoginState { sent?: string; error?: string }

/** Emails a magic link; its callback (app/auth/callback) turns the code into a session. */
export async function sendMagicLink(_prev: LoginState, form: FormData): Promise<LoginState> {
  const email = z.email().safeParse(String(form.get('email') ?? '').trim())
  if (!email.success) return { error: 'Enter a valid email address' }
  const supabase = await createSupabaseServerClient()
  // https://supabase.com/docs/reference/javascript/auth-signinwithotp
  const { error } = await supabase.auth.signInWithOtp({ email: email.data, options: { emailRedirectTo: new URL('/auth/callback', env().APP_URL).toString() } })
  return error ? { error: error.message } : { sent: email.data }
}
