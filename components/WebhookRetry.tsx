'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { postJson } from './format'

/** Tries the webhook events that failed every attempt again. */
export function WebhookRetry({ connectionId }: { connectionId: string }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const retry = async () => {
    setBusy(true)
    try {
      await postJson(`/api/v1/crm-integration/${connectionId}/retry-webhooks`, {})
    } catch (e) {
      window.alert(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
      router.refresh()
    }
  }
  return (
    <button type="button" disabled={busy} onClick={() => void retry()} data-testid="webhook-retry"
      className="rounded border border-rose-300 px-2 py-0.5 text-xs text-rose-700 hover:bg-rose-50 disabled:opacity-50">
      {busy ? '…' : 'Retry'}
    </button>
  )
}
