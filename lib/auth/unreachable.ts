import { isAuthRetryableFetchError } from '@supabase/supabase-js'
import { env } from '../env'

// Supabase Auth not answering (down, or NEXT_PUBLIC_SUPABASE_URL naming no project) read as
// nobody being signed in: every person was sent to /login, whose form then said "fetch failed",
// and nothing was logged. auth-js marks a request that got no answer, or a 502/503/504, retryable.
// https://supabase.com/docs/reference/javascript/auth-error-codes

export const AUTH_UNREACHABLE = 'Sign-in is unavailable: Supabase Auth could not be reached. Try again in a moment.'

/** Whether `error` says Supabase Auth could not be reached; if so, logs it with the address tried. */
export function authUnreachable(error: unknown): boolean {
  if (!isAuthRetryableFetchError(error)) return false
  console.error(`[syncline] Supabase Auth could not be reached at NEXT_PUBLIC_SUPABASE_URL (${env().NEXT_PUBLIC_SUPABASE_URL}): ${error.message}`)
  return true
}
