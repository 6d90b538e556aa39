import { figure } from '@/lib/counted'
import type { ConnectionStatusView } from '@/lib/crm/status'
import { stoppedSyncText } from './sync-state-text'

type Connection = Pick<ConnectionStatusView, 'objects' | 'stoppedSync'>

export interface RefreshButtonState {
  /** Spinning, "Syncing…" with the records fetched so far. */
  running: boolean
  label: string
  disabled: boolean
  /** Why it is disabled, where that is not a sync at work. */
  title?: string
}

/**
 * Refresh CRM as the status shows it: "Syncing…" while a sync is at work (this page's, or a
 * lease renewed lately: `status.running`). A sync that stopped without finishing (its server
 * stopped) holds its connection until its lease expires: not "Syncing…", and not a button
 * that can only answer busy; its title says until when (SyncStatus says it too).
 */
export function refreshButtonState(busy: boolean, status: { running: boolean; connections: Connection[] }): RefreshButtonState {
  const running = busy || status.running
  const stopped = status.connections.find((c) => c.stoppedSync !== null)?.stoppedSync ?? null
  const fetched = status.connections.flatMap((c) => Object.values(c.objects)).filter((r) => r?.status === 'running').reduce((n, r) => n + (r?.fetched ?? 0), 0)
  return {
    running,
    label: running ? `Syncing…${fetched ? ` ${figure(fetched)} records` : ''}` : 'Refresh CRM',
    disabled: running || stopped !== null || status.connections.length === 0,
    ...(stopped && !running ? { title: stoppedSyncText(stopped) } : {}),
  }
}
