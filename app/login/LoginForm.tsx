'use client'
import { useActionState } from 'react'
import { sendMagicLink, type LoginState } from './actions'

export function LoginForm({ linkError }: { linkError?: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(sendMagicLink, { error: linkError })
  if (state.sent) return <p role="status" className="text-sm text-slate-700">Check {state.sent} for a sign-in link.</p>
  return (
    <form action={action} className="space-y-3">
      {/* A placeholder is no label: it is gone once typing starts, and screen readers may skip it. */}
      <label htmlFor="login-email" className="block text-sm font-medium text-slate-700">Work email</label>
      <input id="login-email" name="email" type="email" required autoComplete="email" placeholder="you@company.com" className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      <button type="submit" disabled={pending} className="w-full rounded-md bg-orange-700 px-3 py-2 text-sm font-semibold text-white disabled:opacity-60">
        {pending ? 'Sending…' : 'Email me a sign-in link'}
      </button>
      {state.error && <p role="alert" className="text-sm text-rose-600">{state.error}</p>}
    </form>
  )
}
