'use client'
import { postJson } from './format'
import { usePostThenRefresh } from './use-post-then-refresh'

/**
 * A small button that POSTs to one of the app's routes, says why if it fails, then refreshes
 * the page's data; busy until the refreshed page shows (see usePostThenRefresh).
 */
export function PostButton({ path, label, testId, className }: { path: string; label: string; testId: string; className: string }) {
  const [busy, run] = usePostThenRefresh()
  return (
    <button type="button" disabled={busy} onClick={() => run(() => postJson(path, {}))} data-testid={testId}
      className={`rounded border px-2 py-0.5 text-xs disabled:opacity-50 ${className}`}>
      {busy ? '…' : label}
    </button>
  )
}
