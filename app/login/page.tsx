import { redirect } from 'next/navigation'
import { supabaseAuthEnabled } from '@/lib/auth/config'
import { LoginForm } from './LoginForm'

export const dynamic = 'force-dynamic'

export default function LoginPage() {
  // The embedded default has no sign-in.
  if (!supabaseAuthEnabled()) redirect('/')
  return (
    <section className="mx-auto max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Sign in to Syncline</h1>
      <LoginForm />
    </section>
  )
}
