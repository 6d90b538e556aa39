import { createServerClient } from '@supabase/ssr'
import { NextResponse, type NextRequest } from 'next/server'
import { env } from './lib/env'

// With Supabase Auth configured, refreshes the session cookie on page loads (Server
// Components cannot write cookies). Without it — the embedded default — does nothing.
// getClaims() refreshes a session about to expire, as getUser() did, and then checks the
// token against the project's cached signing keys instead of calling Supabase Auth on every
// request (lib/auth/session-tenant.ts says when it still calls).
// https://supabase.com/docs/guides/auth/server-side/nextjs
export async function proxy(request: NextRequest) {
  const url = env().NEXT_PUBLIC_SUPABASE_URL
  const key = env().NEXT_PUBLIC_SUPABASE_ANON_KEY
  if (!url || !key) return NextResponse.next()
  let response = NextResponse.next({ request })
  const supabase = createServerClient(url, key, {
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (list) => {
        for (const { name, value } of list) request.cookies.set(name, value)
        response = NextResponse.next({ request })
        for (const { name, value, options } of list) response.cookies.set(name, value, options)
      },
    },
  })
  await supabase.auth.getClaims()
  return response
}

export const config = {
  // Not machine-to-machine routes (webhooks, cron) nor static assets.
  matcher: ['/((?!api/webhooks|api/cron|_next/static|_next/image|favicon.ico).*)'],
}
