import type { LatestRunView, RealtimeView } from '@/lib/crm/status'

// The status icon of an object type's panel: its last sync's outcome, unless webhook applies
// failed since and what they failed is still failing (the real-time line's "N failed", see
// realtimeActivity). The panel's numbers are the last sync's, but a green tick beside a red
// "Real time" line said all was well while HubSpot's changes were not reaching the app; and
// an amber or red icon after a later drain applied the events said something was broken
// when nothing was.

export type PanelStatus = 'success' | 'partial' | 'failed' | 'running' | 'never'

const SEVERITY = { never: 0, success: 1, partial: 2, failed: 3 } as const

export interface PanelStatusView {
  status: PanelStatus
  /** What the icon says on hover, where it is not the plain status. */
  label?: string
}

type Run = Pick<LatestRunView, 'status' | 'startedAt' | 'finishedAt'>
type Live = Pick<RealtimeView, 'lastAt' | 'lastStatus' | 'failed'>

export function panelStatus(run: Run | null, live: Live | null): PanelStatusView {
  const synced: PanelStatus = run?.status ?? 'never'
  if (synced === 'running' || !live) return { status: synced }
  // Records still not applied after a failed apply. (A drain stopped by its time limit
  // leaves its events for the next one, unattempted: not counted, not a failure.)
  const applyFailed = live.failed > 0
  const afterSync = !run || Date.parse(live.lastAt) > Date.parse(run.finishedAt ?? run.startedAt)
  if (!applyFailed || !afterSync) return { status: synced }
  const applied = live.lastStatus === 'failed' ? 'failed' : 'partial'
  if (SEVERITY[applied] <= SEVERITY[synced]) return { status: synced }
  return {
    status: applied,
    label: applied === 'failed' ? 'Real-time updates failed after the last sync' : 'Some real-time updates failed after the last sync',
  }
}
