import { redirect } from 'next/navigation'
import { supabaseAuthEnabled } from '@/lib/auth/config'
import { LoginForm } from './LoginForm'

export const dynamic = 'force-dynamic'

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The embedded default has no sign-in.
  if (!supabaseAuthEnabled()) redirect('/')
  // Why the sign-in link did not work, as app/auth/callback sends it back here.
  const { error } = await searchParams
  return (
    <section className="mx-auto max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Sign in to Syncline</h1>
      <LoginForm linkError={typeof error === 'string' ? error.slice(0, 400) : undefined} />
    </section>
  )
}
