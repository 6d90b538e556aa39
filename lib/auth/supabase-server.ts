import { createServerClient } from '@supabase/ssr'
import { cookies } from 'next/headers'
import { env } from '../env'

// Supabase Auth (optional): with NEXT_PUBLIC_SUPABASE_URL and _ANON_KEY set, people sign
// in and every request acts for their workspace; without them, the one local workspace.
// https://supabase.com/docs/guides/auth/server-side/nextjs

export { supabaseAuthEnabled } from './config'

export async function createSupabaseServerClient() {
  const e = env()
  if (!e.NEXT_PUBLIC_SUPABASE_URL || !e.NEXT_PUBLIC_SUPABASE_ANON_KEY) throw new Error('Supabase Auth is not configured')
  const store = await cookies()
  return createServerClient(e.NEXT_PUBLIC_SUPABASE_URL, e.NEXT_PUBLIC_SUPABASE_ANON_KEY, {
    cookies: {
      getAll: () => store.getAll(),
      setAll: (list) => {
        try {
          for (const { name, value, options } of list) store.set(name, value, options)
        } catch {
          // Server Components cannot set cookies; proxy.ts refreshes the session instead.
        }
      },
    },
  })
}
