'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { postJson } from './format'

/** Turns real-time updates (HubSpot webhooks) on or off for a connection. */
export function WebhookToggle({ connectionId, enabled }: { connectionId: string; enabled: boolean }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const toggle = async () => {
    setBusy(true)
    try {
      await postJson(`/api/v1/crm-integration/${connectionId}/${enabled ? 'disable' : 'enable'}-webhooks`, {})
    } catch (e) {
      window.alert(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
      router.refresh()
    }
  }
  return (
    <button type="button" disabled={busy} onClick={() => void toggle()} data-testid="webhook-toggle"
      className="rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-50">
      {busy ? '…' : enabled ? 'Turn off' : 'Turn on'}
    </button>
  )
}
