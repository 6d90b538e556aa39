'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { ENTITY_NEEDS } from '@/lib/crm/entities'
import type { SettingsView } from '@/lib/crm/settings'
import { OBJECT_TYPES, SYNC_OBJECT_TYPES, type ObjectType, type SyncObjectType } from '@/lib/crm/types'
import { counted, figure, OBJECT_LABEL, postJson } from './format'

// A connection's sync settings, as a person changes them: which way records flow, which
// object types sync, how a field changed on both sides is settled, the country assumed for
// phone numbers written without one, how often the hourly cron syncs this connection, and
// which HubSpot properties beyond the mapped ones it reads into `crm_properties`.

const DIRECTIONS = { bidirectional: 'Both ways', pull: 'HubSpot → app only', push: 'App → HubSpot only' } as const
const STRATEGIES = {
  timestamp_based: 'The newer edit wins',
  source_priority: 'HubSpot wins',
  field_merge: 'Merge field by field',
  manual_review: 'Ask a person (conflicts queue)',
} as const
// Capitalised as the other menus' options are ("Both ways", "The newer edit wins").
const FREQUENCIES = [[15, 'Every 15 minutes'], [60, 'Every hour'], [360, 'Every 6 hours'], [1440, 'Once a day']] as const

/** A typed list of internal names, as the server stores it: commas or spaces between, blanks and repeats dropped. */
const propertyNames = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))]

const field = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm'

/** What the save answers; the conflict counts only when it was asked to decide the waiting ones. */
interface SaveAnswer { decidedConflicts?: number; dismissedConflicts?: number; openConflicts?: number; stoppedEarly?: boolean; appEditsToSend?: number }

/** What deciding the waiting conflicts did: dismissed ones left the queue too, so both are said. */
function decidedNote(a: SaveAnswer): string {
  const parts = [`${counted(a.decidedConflicts ?? 0, 'conflict')} decided, ${figure(a.dismissedConflicts ?? 0)} dismissed (record gone on one side)`]
  if (a.stoppedEarly) parts.push('stopped at the time limit, save again to decide the rest')
  if (a.openConflicts) parts.push(`${figure(a.openConflicts)} still waiting for a person`)
  return parts.join('; ')
}

export function SyncSettings({ connectionId, settings, openConflicts = 0 }: { connectionId: string; settings: SettingsView; openConflicts?: number }) {
  const router = useRouter()
  const [form, setForm] = useState({ ...settings, defaultCountry: settings.defaultCountry ?? '' })
  // Kept as typed (a half-written list keeps its trailing comma) and split only on save.
  const [extra, setExtra] = useState(Object.fromEntries(OBJECT_TYPES.map((t) => [t, settings.extraProperties[t].join(', ')])) as Record<ObjectType, string>)
  const [state, setState] = useState<{ saving: boolean; error: string | null; saved: boolean; note?: string }>({ saving: false, error: null, saved: false })
  // Leaving manual review does not touch the conflicts already waiting unless asked to.
  const [decideWaiting, setDecideWaiting] = useState(false)
  const canDecideWaiting = openConflicts > 0 && form.conflictStrategy !== 'manual_review'
  const frequencies = FREQUENCIES.some(([m]) => m === form.frequencyMinutes) ? FREQUENCIES : [...FREQUENCIES, [form.frequencyMinutes, `Every ${form.frequencyMinutes} minutes`] as const]

  // Turning a type off turns off what links to it; turning one on turns on what it links to.
  const toggle = (type: SyncObjectType, on: boolean) => {
    const entities = { ...form.entities, [type]: on }
    for (const t of SYNC_OBJECT_TYPES) {
      if (on && ENTITY_NEEDS[type].includes(t)) entities[t] = true
      if (!on && ENTITY_NEEDS[t].includes(type)) entities[t] = false
    }
    setForm({ ...form, entities })
  }

  const save = async () => {
    setState({ saving: true, error: null, saved: false })
    // Only the lists a person changed: the server checks each given name with HubSpot and
    // re-reads a changed type, so an untouched list is neither re-checked nor re-read.
    const extraProperties = Object.fromEntries(OBJECT_TYPES.flatMap((t) => {
      const names = propertyNames(extra[t])
      return names.join() === settings.extraProperties[t].join() ? [] : [[t, names]]
    }))
    try {
      const answer = await postJson<SaveAnswer>('/api/crm/settings', {
        connectionId,
        ...(canDecideWaiting && decideWaiting ? { decideOpenConflicts: true } : {}),
        settings: {
          direction: form.direction, entities: form.entities, conflictStrategy: form.conflictStrategy, frequencyMinutes: form.frequencyMinutes,
          defaultCountry: form.defaultCountry.trim() || null,
          extraProperties,
        },
      })
      // Leaving HubSpot → app only: the app's edits kept meanwhile go at the next sync.
      const sending = settings.direction === 'pull' && answer.appEditsToSend
        ? `the app's changes to ${counted(answer.appEditsToSend, 'record')} go to HubSpot at the next sync` : undefined
      const note = [answer.decidedConflicts === undefined ? undefined : decidedNote(answer), sending].filter(Boolean).join('; ') || undefined
      setState({ saving: false, error: null, saved: true, note })
      setDecideWaiting(false)
      router.refresh()
    } catch (e) {
      setState({ saving: false, error: e instanceof Error ? e.message : String(e), saved: false })
    }
  }

  return (
    <details data-testid="sync-settings">
      <summary className="cursor-pointer text-sm font-medium text-slate-600">Sync settings</summary>
      <form className="mt-2 grid gap-3 sm:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void save() }}>
        <label className="space-y-1 text-xs font-medium text-slate-600">Direction
          <select className={field} value={form.direction} onChange={(e) => setForm({ ...form, direction: e.target.value as SettingsView['direction'] })} name="direction">
            {Object.entries(DIRECTIONS).map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">When both sides changed a field
          <select className={field} value={form.conflictStrategy} onChange={(e) => setForm({ ...form, conflictStrategy: e.target.value as SettingsView['conflictStrategy'] })} name="conflictStrategy">
            {Object.entries(STRATEGIES).map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
        {canDecideWaiting && (
          <div className="space-y-1 text-xs text-slate-600 sm:col-span-2" data-testid="decide-waiting">
            <label className="flex items-center gap-1.5 text-sm text-slate-700">
              <input type="checkbox" name="decideOpenConflicts" checked={decideWaiting} onChange={(e) => setDecideWaiting(e.target.checked)} />
              Also decide the {counted(openConflicts, 'waiting conflict')} with this strategy
            </label>
            {!decideWaiting && <p className="text-slate-500">Unticked, they stay in the conflicts queue for a person to decide.</p>}
          </div>
        )}
        <label className="space-y-1 text-xs font-medium text-slate-600">Country for phone numbers without one
          <input className={field} value={form.defaultCountry} maxLength={2} placeholder="e.g. GB, US" name="defaultCountry"
            onChange={(e) => setForm({ ...form, defaultCountry: e.target.value.toUpperCase() })} />
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">Scheduled sync
          <select className={field} value={form.frequencyMinutes} onChange={(e) => setForm({ ...form, frequencyMinutes: Number(e.target.value) })} name="frequencyMinutes">
            {frequencies.map(([m, label]) => <option key={m} value={m}>{label}</option>)}
          </select>
          {form.frequencyMinutes < 60 && (
            // The schedule only says when a connection is due: the cron that runs the due ones is vercel.json's, hourly.
            <span className="block font-normal text-slate-500" data-testid="frequency-hint">
              Due this often, synced when the cron runs: hourly as vercel.json ships it (more often needs a more frequent cron).
            </span>
          )}
        </label>
        <fieldset className="space-y-1 text-xs font-medium text-slate-600 sm:col-span-2">
          <legend>What syncs</legend>
          <div className="flex flex-wrap gap-4 font-normal">
            {SYNC_OBJECT_TYPES.map((type) => (
              <label key={type} className="flex items-center gap-1.5 text-sm text-slate-700">
                <input type="checkbox" name={`entities.${type}`} checked={form.entities[type]}
                  onChange={(e) => toggle(type, e.target.checked)} />
                {OBJECT_LABEL[type]}
              </label>
            ))}
          </div>
          <p className="font-normal text-slate-500">Every record syncs with its owner, and a deal with its contacts. With companies off, a record’s company is the app’s own; turned back on, the CRM’s changes since then come in and the app’s go out.</p>
        </fieldset>
        <fieldset className="grid gap-2 text-xs font-medium text-slate-600 sm:col-span-2 sm:grid-cols-3">
          <legend>Extra HubSpot properties</legend>
          {OBJECT_TYPES.map((type) => (
            <label key={type} className="space-y-1">Extra {type} properties
              <input className={field} value={extra[type]} name={`extraProperties.${type}`}
                placeholder="internal names, comma-separated" spellCheck={false} autoCapitalize="off"
                onChange={(e) => setExtra({ ...extra, [type]: e.target.value })} />
            </label>
          ))}
          <p className="font-normal text-slate-500 sm:col-span-3">Read into each record’s <code>crm_properties</code>, HubSpot → app only. A changed list re-reads that type’s records on the next sync.</p>
        </fieldset>
        <div className="flex items-center gap-3 sm:col-span-2">
          <button type="submit" disabled={state.saving} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">
            {state.saving ? 'Saving…' : 'Save settings'}
          </button>
          {state.saved && <span className="text-sm text-emerald-700" role="status">{state.note ? `Saved; ${state.note}` : 'Saved'}</span>}
          {state.error && <span className="text-sm text-rose-600" role="alert">{state.error}</span>}
        </div>
      </form>
    </details>
  )
}
