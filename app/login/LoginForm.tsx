'use client'
import { useActionState } from 'react'
import { sendMagicLink, type LoginState } from './actions'

export function LoginForm({ linkError }: { linkError?: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(sendMagicLink, { error: linkError })
  if (state.sent) return <p className="text-sm text-slate-700">Check {state.sent} for a sign-in link.</p>
  return (
    <form action={action} className="space-y-3">
      <input name="email" type="email" required placeholder="you@company.com" className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      <button type="submit" disabled={pending} className="w-full rounded-md bg-orange-500 px-3 py-2 text-sm font-semibold text-white disabled:opacity-60">
        {pending ? 'Sending…' : 'Email me a sign-in link'}
      </button>
      {state.error && <p className="text-sm text-rose-600">{state.error}</p>}
    </form>
  )
}
