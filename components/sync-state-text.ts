import type { SyncTrigger } from '@/lib/crm/types'
import type { RunGroupPoint } from '@/lib/store/dashboard'

// What the dashboard says of a sync whose server stopped mid-way (a crash, a kill -9, a
// restart). It held the connection's lease and still does until the lease expires; nothing
// is running meanwhile, so the dashboard says so, not "Syncing…".

/** A connection's lease held by a sync that stopped reporting progress (ConnectionStatusView.stoppedSync): Refresh CRM's 409 says the same. */
export { stoppedSyncText } from '@/lib/crm/busy'

/** A run history point's outcome in words: a run whose process ended mid-way stopped, whatever its status. */
export function runOutcome(point: Pick<RunGroupPoint, 'status' | 'interrupted'>): string {
  return point.interrupted ? 'stopped — server stopped mid-run' : point.status
}

/** What started a run, as a person reads it: the card said "synced 5 s ago · initial", the code's word for the first sync. */
const TRIGGER_TEXT: Record<SyncTrigger, string> = {
  initial: 'first sync', manual: 'manual', cron: 'scheduled', webhook: 'real-time', cli: 'npm run sync',
}

/** The runs' rows carry the trigger as stored text; one this list lacks shows as it is. */
export function triggerText(trigger: string): string {
  return (TRIGGER_TEXT as Record<string, string>)[trigger] ?? trigger
}
