import type { AwaitingReconnect, ConnectionStatusView } from './status'
import { SYNC_OBJECT_TYPES } from './types'

// What the dashboard's poller (components/LiveStatus.tsx) needs to know to re-render the
// server-rendered parts (the leads table, the conflicts queue, each card's open-conflict count
// and "Records that failed to sync"): a fingerprint of what those parts show that the
// status carries, and the rule saying when to re-render. Webhook applies change the
// database without a run marked running, so "a run ended" alone missed them: an edit made
// in HubSpot showed in "Real time: n applied" (polled) but not in the table beside it.

/** What GET /api/crm/status answers, and the page hands the poller to start from. */
export interface StatusPayload {
  connections: ConnectionStatusView[]
  /** How many statements have changed the tenant's live contacts (leadChanges): moves with each. */
  leadChanges: number
  running: boolean
  /** With no connection in use, the one last disconnected (awaitingReconnect in status.ts); else null. */
  disconnected: AwaitingReconnect | null
  /** dashboardChanges of the above: moves when a server-rendered part would show something else. */
  changes: string
}

export function statusPayload(connections: ConnectionStatusView[], leadChanges: number, disconnected: StatusPayload['disconnected'] = null): StatusPayload {
  return { connections, leadChanges, running: connections.some((c) => c.running), disconnected, changes: dashboardChanges(connections, leadChanges) }
}

/**
 * A fingerprint of the facts the server-rendered parts follow: how many writes have changed
 * the tenant's leads (an edit made straight in SQL too, a delete, a late commit; the newest
 * updated_at, read before, missed those three); per connection
 * its state, open conflicts, failing and waiting outbox records, each object type's last run
 * (when it started, how it ended) and latest real-time apply (when, how, records still
 * failing). Left out on purpose, as they move while nothing changed (an idle poll must not
 * re-render): the 24-hour sums of applied records (they fall as old applies leave the
 * window), the lease countdown, next-sync times and webhook delivery counts.
 */
export function dashboardChanges(connections: ConnectionStatusView[], leadChanges: number): string {
  const parts: unknown[] = [leadChanges]
  for (const c of [...connections].sort((a, b) => a.id.localeCompare(b.id))) {
    parts.push(c.id, c.status, c.openConflicts, c.outboxPending, c.outboxFailed)
    for (const t of SYNC_OBJECT_TYPES) {
      const run = c.objects[t]
      const rt = c.realtime[t]
      parts.push(run ? [run.startedAt, run.status, run.finishedAt] : null, rt ? [rt.lastAt, rt.lastStatus, rt.failed] : null)
    }
  }
  return JSON.stringify(parts)
}

export type LiveMark = Pick<StatusPayload, 'running' | 'changes'>

/** Re-render the server parts: a run ended, or what they show changed since `prev`. Never for an idle poll. */
export function shouldRefresh(prev: LiveMark, next: LiveMark): boolean {
  return (prev.running && !next.running) || prev.changes !== next.changes
}

export interface PollFacts {
  /** A run is going, a stopped one's lease is counting down, or a sync was just asked for here. */
  fast: boolean
  /** The page is not visible (another tab, minimized). */
  hidden: boolean
  /** Some connection takes real-time updates: a change can land any second without a run. */
  realtime: boolean
}

/**
 * Milliseconds until the next poll, or null for none. A hidden page does not poll (it polls
 * at once when shown again): an open but unseen dashboard costs the server nothing. With
 * real-time on, a rep's edit applied by webhook reaches an open page within 5 s rather than
 * the 30 s an idle page waits otherwise.
 */
export function pollDelay(f: PollFacts): number | null {
  if (f.hidden) return null
  if (f.fast) return 1_000
  return f.realtime ? 5_000 : 30_000
}

/** Whether a status says some connection takes real-time updates. */
export function realtimeOnAny(status: Pick<StatusPayload, 'connections'>): boolean {
  return status.connections.some((c) => c.webhooks.enabled)
}
