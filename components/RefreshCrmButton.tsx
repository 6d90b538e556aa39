'use client'
import { useState } from 'react'
import type { SyncSummary } from '@/lib/crm/sync-service'
import { postJson } from './format'
import { useLiveStatus } from './LiveStatus'
import { refreshButtonState } from './refresh-button-state'
import { refreshResultText } from './refresh-result-text'

type Result = { ok: true; text: string } | { ok: false; text: string }

/** Refresh CRM: an incremental sync of every connection now, with live progress and the outcome. */
export function RefreshCrmButton() {
  const { status, goLive, refresh } = useLiveStatus()
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<Result | null>(null)
  const button = refreshButtonState(busy, status)

  const run = async () => {
    setBusy(true)
    setResult(null)
    goLive()
    try {
      const { results } = await postJson<{ results: SyncSummary[] }>('/api/crm/sync', {})
      setResult({ ok: results.every((r) => r.status === 'success'), text: refreshResultText(results) })
    } catch (e) {
      setResult({ ok: false, text: e instanceof Error ? e.message : String(e) })
    } finally {
      setBusy(false)
      await refresh()
    }
  }

  return (
    // `contents`: the outcome and the button are items of the page's button row, so on a phone the outcome wraps onto a line of
    // its own rather than squeezing the buttons beside it ("Refresh / CRM" on two lines at 375 px).
    <div className="contents">
      {/* Always there, empty between runs: a live region that appears together with its text is often not read out. Empty, it
          takes no place in the row (sr-only), so no gap stands before the button. */}
      <span role="status" data-testid="refresh-result"
        className={`text-sm ${result ? 'w-full sm:w-auto' : 'sr-only'} ${result?.ok ? 'text-emerald-700' : 'text-amber-700'}`}>
        {result?.text}
      </span>
      <button
        type="button"
        onClick={() => void run()}
        disabled={button.disabled}
        title={button.title}
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium shadow-sm hover:bg-slate-50 disabled:opacity-60"
      >
        <span className={button.running ? 'animate-spin' : ''} aria-hidden>↻</span>
        {button.label}
      </button>
    </div>
  )
}
