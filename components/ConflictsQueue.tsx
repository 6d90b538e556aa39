'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { seenValues } from '@/lib/crm/conflicts/app-side'
import { fieldLabel } from './field-labels'
import { postJson } from './format'

export interface ConflictView {
  id: number
  objectType: string
  label: string
  fields: string[]
  local: Record<string, string | null>
  remote: Record<string, string | null>
  createdAt: string
}

/**
 * Conflicts left for a person, a page at a time, oldest first: both values side by side,
 * pick one per field, apply. The pages are plain links, as the leads table's are.
 */
export function ConflictsQueue({ conflicts, total, first, previousHref, nextHref }: {
  conflicts: ConflictView[]
  /** Open conflicts in all; `first` is the position of this page's first one. */
  total: number; first: number
  previousHref: string | null; nextHref: string | null
}) {
  // Said here, not in the item: a dismissed conflict's item is gone once the page refreshes.
  const [notice, setNotice] = useState<string | null>(null)
  const said = notice && <p role="status" className="border-b border-slate-100 bg-amber-50 px-4 py-2 text-sm text-amber-800">{notice}</p>
  if (conflicts.length === 0) return <>{said}<p className="px-4 py-6 text-sm text-slate-500">No conflicts waiting for review.</p></>
  return (
    <>
      {said}
      <ul className="divide-y divide-slate-100">
        {conflicts.map((c) => <ConflictItem key={c.id} conflict={c} onDismissed={setNotice} />)}
      </ul>
      {(previousHref || nextHref) && (
        <nav aria-label="Conflict pages" className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm text-slate-600">
          <span data-testid="conflict-range">{`${first}–${first + conflicts.length - 1} of ${total}, oldest first`}</span>
          <span className="flex gap-3">
            {previousHref && <a href={previousHref} className="text-sky-700 hover:underline">← Older</a>}
            {nextHref && <a href={nextHref} className="text-sky-700 hover:underline">Newer →</a>}
          </span>
        </nav>
      )}
    </>
  )
}

function ConflictItem({ conflict, onDismissed }: { conflict: ConflictView; onDismissed: (message: string) => void }) {
  const router = useRouter()
  const [choices, setChoices] = useState<Record<string, 'local' | 'remote'>>({})
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const ready = conflict.fields.every((f) => choices[f])

  const apply = async () => {
    setSaving(true)
    setError(null)
    try {
      // The values shown go with the choice: if either side has changed since, the server
      // refuses (409) instead of applying a choice made on other values.
      const seen = seenValues(conflict.fields, conflict.local, conflict.remote)
      const decision = await postJson<{ status: 'resolved' | 'dismissed'; message?: string }>(`/api/crm/conflicts/${conflict.id}/resolve`, { choices, seen })
      // Its record was deleted on a side meanwhile: nothing was applied, and the person should know.
      if (decision.status === 'dismissed') onDismissed(`${conflict.objectType} · ${conflict.label}: ${decision.message ?? 'dismissed'}`)
      router.refresh()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <li className="space-y-2 px-4 py-3">
      <p className="text-sm font-medium">{conflict.objectType} · {conflict.label}</p>
      <table className="w-full text-sm">
        <thead className="text-xs text-slate-500">
          <tr><th className="w-40 text-left font-medium">Field</th><th className="text-left font-medium">In the app</th><th className="text-left font-medium">In HubSpot</th></tr>
        </thead>
        <tbody>
          {conflict.fields.map((f) => (
            <tr key={f}>
              <td className="py-1 text-slate-600">{fieldLabel(f)}</td>
              {(['local', 'remote'] as const).map((side) => (
                <td key={side} className="py-1 pr-4">
                  <label className={`flex cursor-pointer items-start gap-2 rounded border px-2 py-1 ${choices[f] === side ? 'border-sky-400 bg-sky-50' : 'border-slate-200'}`}>
                    <input type="radio" name={`${conflict.id}-${f}`} checked={choices[f] === side} onChange={() => setChoices({ ...choices, [f]: side })} />
                    <span className="whitespace-pre-wrap break-words">{conflict[side][f] ?? <em className="text-slate-400">empty</em>}</span>
                  </label>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-3">
        <button type="button" disabled={!ready || saving} onClick={() => void apply()} className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">
          {saving ? 'Applying…' : 'Apply'}
        </button>
        {error && <span className="text-sm text-rose-600">{error}</span>}
      </div>
    </li>
  )
}
