'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { postJson } from './format'

/** A small button that POSTs to one of the app's routes, says why if it fails, then refreshes the page's data. */
export function PostButton({ path, label, testId, className }: { path: string; label: string; testId: string; className: string }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const post = async () => {
    setBusy(true)
    try {
      await postJson(path, {})
    } catch (e) {
      window.alert(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
      router.refresh()
    }
  }
  return (
    <button type="button" disabled={busy} onClick={() => void post()} data-testid={testId}
      className={`rounded border px-2 py-0.5 text-xs disabled:opacity-50 ${className}`}>
      {busy ? '…' : label}
    </button>
  )
}
