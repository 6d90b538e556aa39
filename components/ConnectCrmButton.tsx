'use client'
import { useRouter } from 'next/navigation'
import { useId, useRef, useState } from 'react'
import { postJson } from './format'

// Connect CRM, three ways: HubSpot OAuth (the sandbox's consent page in dev), a private-app
// token, or Nango's Connect UI when the server has NANGO_SECRET_KEY.
//
// `another`: the header's button once a CRM is connected. A workspace may connect several
// HubSpot portals (a connection per portal, lib/store/connections.ts saveConnection), so it
// stays, but as what it then does: "Connect another portal", a secondary button beside
// Refresh CRM; the header kept inviting "Connect CRM" in the primary colour, as if none were.
// A portal already connected is reconnected, not added twice: the panel says so.

export function ConnectCrmButton({ oauth, nango, label, another = false }: { oauth: boolean; nango: boolean; label?: string; another?: boolean }) {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const toggle = useRef<HTMLButtonElement>(null)
  const panelId = useId()
  const [token, setToken] = useState('')
  const [pending, setPending] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const attempt = async (what: string, fn: () => Promise<void>) => {
    setPending(what)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setPending(null)
    }
  }

  const withOAuth = () => attempt('oauth', async () => {
    const { url } = await postJson<{ url: string }>('/api/crm/connect', { method: 'oauth' })
    window.location.assign(url)
  })

  const withToken = () => attempt('token', async () => {
    await postJson('/api/crm/connect', { method: 'private_app', token })
    setToken('')
    setOpen(false)
    router.refresh()
  })

  // https://docs.nango.dev/reference/sdks/frontend — the IDs arrive in event.payload.
  const withNango = () => attempt('nango', async () => {
    const { token: sessionToken } = await postJson<{ token: string }>('/api/crm/connect', { method: 'nango' })
    const { default: Nango } = await import('@nangohq/frontend')
    new Nango().openConnectUI({
      sessionToken,
      onEvent: (event) => {
        if (event.type !== 'connect') return
        void attempt('nango', async () => {
          await postJson('/api/crm/nango/connected', { connectionId: event.payload.connectionId, providerConfigKey: event.payload.providerConfigKey })
          setOpen(false)
          router.refresh()
        })
      },
    })
  })

  return (
    // Below sm the panel spans the screen (the wrapper is not positioned, so inset-x-4 is
    // taken from the page), wherever the button sits; from sm it hangs from the button.
    // Escape closes the panel from anywhere inside it and gives focus back to the button (a disclosure's keys).
    <div className="sm:relative" onKeyDown={(e) => {
      if (e.key !== 'Escape' || !open) return
      setOpen(false)
      toggle.current?.focus()
    }}>
      <button ref={toggle} type="button" onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={open ? panelId : undefined}
        className={another
          ? 'rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium shadow-sm hover:bg-slate-50'
          : 'rounded-md bg-orange-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-orange-800'}>
        {label ?? (another ? 'Connect another portal' : 'Connect CRM')}
      </button>
      {open && (
        <div id={panelId} data-testid="connect-panel" className="absolute inset-x-4 z-10 mt-2 space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-left shadow-lg sm:inset-x-auto sm:right-0 sm:w-80">
          {another && (
            <p className="text-xs text-slate-600" data-testid="connect-another-note">
              Sync another HubSpot portal into this workspace. A portal already connected is reconnected, with its records and settings.
            </p>
          )}
          {oauth && (
            <button type="button" onClick={() => void withOAuth()} disabled={!!pending} className="w-full rounded-md bg-orange-700 px-3 py-2 text-sm font-semibold text-white hover:bg-orange-800 disabled:opacity-60">
              {pending === 'oauth' ? 'Opening HubSpot…' : 'Connect HubSpot'}
            </button>
          )}
          {nango && (
            <button type="button" onClick={() => void withNango()} disabled={!!pending} className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
              {pending === 'nango' ? 'Opening…' : 'Connect with Nango'}
            </button>
          )}
          <form onSubmit={(e) => { e.preventDefault(); void withToken() }} className="space-y-2 border-t border-slate-100 pt-3">
            <label className="block text-xs font-medium text-slate-600" htmlFor="private-app-token">Or paste a HubSpot private-app token</label>
            <input id="private-app-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="pat-na1-…" className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
            <button type="submit" disabled={!token || !!pending} className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
              {pending === 'token' ? 'Checking token…' : 'Connect with token'}
            </button>
          </form>
          {error && <p role="alert" className="text-sm text-rose-600">{error}</p>}
        </div>
      )}
    </div>
  )
}
