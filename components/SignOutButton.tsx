'use client'

import { usePathname } from 'next/navigation'

/**
 * Sign out, in the header of every page but the sign-in page: whoever sees that page is not
 * signed in (the dashboard sends a signed-out visitor there), so the button offered nothing.
 * Told by the path, not by asking Supabase Auth again for the user on every page.
 */
export function SignOutButton() {
  if (usePathname() === '/login') return null
  return <form action="/auth/signout" method="post"><button type="submit" className="hover:underline">Sign out</button></form>
}
