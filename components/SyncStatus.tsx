'use client'
import { useState } from 'react'
import type { ConnectionStatusView } from '@/lib/crm/status'
import { SYNC_OBJECT_TYPES, type SyncObjectType } from '@/lib/crm/types'
import { counted, duration, errorNextStep, errorTone, figure, OBJECT_LABEL, postJson, shownError, timeAgo } from './format'
import { useLiveStatus } from './LiveStatus'
import { panelStatus } from './panel-status'
import { StatusIcon } from './StatusIcon'
import { stoppedSyncText, triggerText } from './sync-state-text'

/** Per object type: last sync in human time, outcome, counts, duration, what webhooks applied lately, and a Force sync button. */
export function SyncStatus({ connectionId }: { connectionId: string }) {
  const { status, goLive, refresh } = useLiveStatus()
  const [error, setError] = useState<string | null>(null)
  // Seen running on this page: its end is then said too (below), not only its start.
  const [seenRunning, setSeenRunning] = useState(false)
  const c = status.connections.find((x) => x.id === connectionId)
  if (c?.running && !seenRunning) setSeenRunning(true)
  if (!c) return null
  const runningType = SYNC_OBJECT_TYPES.find((t) => c.objects[t]?.status === 'running')
  const announced = c.running ? `Syncing ${runningType ? OBJECT_LABEL[runningType] : 'HubSpot'}…` : seenRunning ? 'Sync finished' : ''
  const progress = runningType ? (SYNC_OBJECT_TYPES.indexOf(runningType) + 0.5) / SYNC_OBJECT_TYPES.length : 0

  const force = async (type: SyncObjectType) => {
    setError(null)
    goLive()
    try {
      await postJson('/api/crm/sync', { connectionId, objects: [type], full: true })
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
    await refresh()
  }

  return (
    <div className="space-y-2" data-testid="sync-status">
      {/* The cards below change on their own (the status poll); a screen reader hears a run start and end here, not every count. */}
      <p role="status" className="sr-only" data-testid="sync-announce">{announced}</p>
      {c.stoppedSync && (
        <p className="text-sm text-amber-700" role="status" data-testid="sync-stopped">{stoppedSyncText(c.stoppedSync)}</p>
      )}
      {c.running && (
        <div className="h-1.5 w-full overflow-hidden rounded bg-sky-100" role="progressbar" aria-label="Sync progress" aria-valuenow={Math.round(progress * 100)}>
          <div className="h-full bg-sky-500 transition-all" style={{ width: `${Math.max(8, progress * 100)}%` }} />
        </div>
      )}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {SYNC_OBJECT_TYPES.map((t) => {
          const r = c.objects[t]
          const live = c.realtime?.[t]
          // Turned off in Sync settings: its last run stays for reference, and nothing can start one.
          const off = !c.settings.entities[t]
          return (
            // Off is told by a dashed grey card, not by fading: faded text fell below a readable contrast.
            <div key={t} className={`rounded-md border p-3 ${off ? 'border-dashed border-slate-300 bg-slate-50' : 'border-slate-200'}`} data-testid={`sync-status-${t}`}>
              <div className="flex items-center justify-between">
                <span className="font-medium">{OBJECT_LABEL[t]}</span>
                <StatusIcon {...panelStatus(r ?? null, live ?? null)} />
              </div>
              {/* "n s ago" is worked out from the clock on the server and again on hydration: a second
                  apart, they differ, and React would discard the server's tree for it. */}
              <p className="mt-1 text-xs text-slate-500" title={r?.startedAt} suppressHydrationWarning>
                {r ? `${r.status === 'running' ? 'started' : 'synced'} ${timeAgo(r.finishedAt ?? r.startedAt)} · ${triggerText(r.trigger)}` : 'not synced yet'}
              </p>
              {r && (
                <p className="mt-1 text-xs text-slate-600">
                  {figure(r.fetched)} fetched · {figure(r.created)} new · {figure(r.updated)} updated{r.archived ? ` · ${figure(r.archived)} archived` : ''}
                  {r.pushed ? ` · ${figure(r.pushed)} pushed` : ''}{r.failed ? ` · ${figure(r.failed)} failed` : ''}{r.conflicts ? ` · ${counted(r.conflicts, 'conflict')}` : ''}
                  {' · '}{duration(r.durationMs)}
                </p>
              )}
              {off && <p className="mt-1 text-xs font-medium text-slate-600">Off: not synced (Sync settings)</p>}
              {r?.error && <p className={`mt-1 truncate text-xs ${errorTone(r.error)}`} title={shownError(r.error)}>{shownError(r.error)}</p>}
              {r?.error && errorNextStep(r.error) && <p className="mt-0.5 text-xs text-slate-600">{errorNextStep(r.error)}</p>}
              {live && (
                <p className="mt-1 text-xs text-emerald-700" title={live.lastAt} data-testid={`realtime-${t}`} suppressHydrationWarning>
                  Real time: {figure(live.applied)} applied in 24 h · last {timeAgo(live.lastAt)}
                  {live.failed > 0 && <> · <span className="text-rose-600">{figure(live.failed)} failed</span></>}
                </p>
              )}
              {live?.error && <p className={`mt-1 truncate text-xs ${errorTone(live.error)}`} title={shownError(live.error)}>{shownError(live.error)}</p>}
              {live?.error && errorNextStep(live.error) && <p className="mt-0.5 text-xs text-slate-600">{errorNextStep(live.error)}</p>}
              <button
                type="button"
                onClick={() => void force(t)}
                // "Force" alone does not say what it forces: a full sync, every record read again.
                title={`Read all ${OBJECT_LABEL[t].toLowerCase()} from HubSpot again, not only what changed since the last sync`}
                disabled={off || c.running || c.stoppedSync !== null || c.status !== 'active'}
                className="mt-2 text-xs font-medium text-sky-700 hover:underline disabled:text-slate-400 disabled:no-underline"
              >
                Force sync
              </button>
            </div>
          )
        })}
      </div>
      {error && <p role="alert" className="text-sm text-rose-600">{error}</p>}
    </div>
  )
}
