import type { LeaseHold } from '@/lib/store/lease'
import type { RunGroupPoint } from '@/lib/store/dashboard'

// What the dashboard says of a sync whose server stopped mid-way (a crash, a kill -9, a
// restart). It held the connection's lease and still does until the lease expires; nothing
// is running meanwhile, so the dashboard says so, not "Syncing…".

/** A connection's lease held by a sync that stopped reporting progress (ConnectionStatusView.stoppedSync). */
export function stoppedSyncText(hold: LeaseHold): string {
  return `The previous sync stopped without finishing (most likely its server stopped): no progress for ${hold.sinceRenewedSeconds ?? '?'} s. `
    + `This connection can sync again in ${hold.leftSeconds} s; Refresh CRM then goes on from where it stopped.`
}

/** A run history point's outcome in words: a run whose process ended mid-way stopped, whatever its status. */
export function runOutcome(point: Pick<RunGroupPoint, 'status' | 'interrupted'>): string {
  return point.interrupted ? 'stopped — server stopped mid-run' : point.status
}
