'use client'
import { useRouter } from 'next/navigation'
import { Fragment, useEffect, useRef, useState } from 'react'
import { seenValues } from '@/lib/crm/conflicts/app-side'
import { fieldLabel } from './field-labels'
import { figure, objectName, postJson } from './format'

/** Said with each choice: a radio read out alone gave only the value, not whose it is. */
const SIDE = { local: 'in the app', remote: 'in HubSpot' } as const

export interface ConflictView {
  id: number
  objectType: string
  label: string
  fields: string[]
  local: Record<string, string | null>
  remote: Record<string, string | null>
  /**
   * The values as shown: phones formatted for people (components/phone-format.ts, on the server).
   * `local` and `remote` stay as stored: they go back with the choice, to be compared.
   */
  shown: { local: Record<string, string | null>; remote: Record<string, string | null> }
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
  // A decided item leaves the page with the focus in it: the focus goes on to the item now in
  // its place (the next conflict), or to the line that says none are left, not to the page's top.
  const decided = useRef<{ id: number; at: number } | null>(null)
  const list = useRef<HTMLUListElement>(null)
  const none = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    // A poll's re-render may come before the one without it: wait for that one.
    if (!decided.current || conflicts.some((c) => c.id === decided.current?.id)) return
    const items = list.current?.querySelectorAll<HTMLElement>(':scope > li') ?? []
    const next = items[Math.min(decided.current.at, items.length - 1)]
    ;(next?.querySelector<HTMLElement>('input') ?? none.current)?.focus()
    decided.current = null
  }, [conflicts])
  const said = <p role="status" className={notice ? 'border-b border-slate-100 bg-amber-50 px-4 py-2 text-sm text-amber-800' : 'sr-only'}>{notice}</p>
  if (conflicts.length === 0) return <>{said}<p ref={none} tabIndex={-1} className="px-4 py-6 text-sm text-slate-500">No conflicts waiting for review.</p></>
  return (
    <>
      {said}
      <ul ref={list} className="divide-y divide-slate-100">
        {conflicts.map((c, i) => (
          <ConflictItem key={c.id} conflict={c} onDismissed={setNotice} onDecided={() => { decided.current = { id: c.id, at: i }; setNotice(null) }} />
        ))}
      </ul>
      {(previousHref || nextHref) && (
        <nav aria-label="Conflict pages" className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm text-slate-600">
          <span data-testid="conflict-range">{`${figure(first)}–${figure(first + conflicts.length - 1)} of ${figure(total)}, oldest first`}</span>
          <span className="flex gap-3">
            {previousHref && <a href={previousHref} className="text-sky-700 hover:underline">← Older</a>}
            {nextHref && <a href={nextHref} className="text-sky-700 hover:underline">Newer →</a>}
          </span>
        </nav>
      )}
    </>
  )
}

function ConflictItem({ conflict, onDismissed, onDecided }: { conflict: ConflictView; onDismissed: (message: string) => void; onDecided: () => void }) {
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
      onDecided()
      // Its record was deleted on a side meanwhile: nothing was applied, and the person should know.
      if (decision.status === 'dismissed') onDismissed(`${objectName(conflict.objectType)} · ${conflict.label}: ${decision.message ?? 'dismissed'}`)
      router.refresh()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <li className="space-y-2 px-4 py-3">
      <p className="text-sm font-medium">{objectName(conflict.objectType)} · {conflict.label}</p>
      {/* Fixed columns, the two values halves of the rest: sized by content, each conflict's "In HubSpot" started somewhere else.
          Below sm the field's name is a line above its two values, which then have the width (beside it, a word broke mid-way). */}
      <table className="w-full table-fixed text-sm">
        <thead className="text-xs text-slate-500">
          <tr><th className="hidden w-40 text-left font-medium sm:table-cell">Field</th><th className="text-left font-medium">In the app</th><th className="text-left font-medium">In HubSpot</th></tr>
        </thead>
        <tbody>
          {conflict.fields.map((f) => (
            <Fragment key={f}>
              <tr className="sm:hidden"><td colSpan={2} className="pt-1 text-xs text-slate-600">{fieldLabel(f)}</td></tr>
              <tr>
                <td className="hidden pb-1 pr-2 pt-2 align-top text-slate-600 sm:table-cell">{fieldLabel(f)}</td>
                {(['local', 'remote'] as const).map((side) => {
                  const stored = conflict[side][f] ?? null
                  const shown = conflict.shown[side][f] ?? stored
                  return (
                    <td key={side} className="py-1 pr-2 align-top sm:pr-4">
                      <label className={`flex cursor-pointer items-start gap-2 rounded border px-2 py-1 ${choices[f] === side ? 'border-sky-400 bg-sky-50' : 'border-slate-200'}`}>
                        <input type="radio" name={`${conflict.id}-${f}`} aria-label={`${fieldLabel(f)} ${SIDE[side]}: ${shown ?? 'empty'}`} checked={choices[f] === side} onChange={() => setChoices({ ...choices, [f]: side })} />
                        {/* A formatted phone keeps the stored value in its title. */}
                        <span className="min-w-0 whitespace-pre-wrap break-words" title={shown !== stored && stored !== null ? stored : undefined}>
                          {shown ?? <em className="text-slate-500">empty</em>}
                        </span>
                      </label>
                    </td>
                  )
                })}
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-3">
        <button type="button" disabled={!ready || saving} onClick={() => void apply()} className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">
          {saving ? 'Applying…' : 'Apply'}
        </button>
        {error && <span role="alert" className="text-sm text-rose-600">{error}</span>}
      </div>
    </li>
  )
}
