import type { LeaseHold } from '../store/lease'

/**
 * Seconds without a renewal after which a lease's holder has most likely stopped. A live
 * run renews after every batch it commits (at most once a second); a batch waiting out
 * rate limits and retries can take tens of seconds, so this is half the run's lease
 * (120 s) rather than a few seconds: past it, the message says the run stopped.
 */
export const STOPPED_AFTER_SECONDS = 60

/**
 * A held lease whose holder has most likely stopped (no renewal for STOPPED_AFTER_SECONDS).
 * Unknown (taken before renewals were recorded) is not stopped. The dashboard's run rows
 * follow the same rule in SQL (lib/store/dashboard.ts, with this constant).
 */
export function leaseStopped(hold: LeaseHold): boolean {
  return hold.sinceRenewedSeconds !== null && hold.sinceRenewedSeconds >= STOPPED_AFTER_SECONDS
}

/**
 * What Refresh CRM says when the connection's lease is held (409 busy). A run whose server
 * stopped mid-way (a crash, a kill, a restart) keeps the lease until it expires, and
 * nothing is running meanwhile: the message says what the lease tells, and when the
 * connection can sync again, rather than that a sync is running.
 */
export function busyMessage(hold: LeaseHold | null): string {
  if (!hold) return 'A sync of this connection has just finished: try again.'
  const again = `this connection can sync again in ${hold.leftSeconds} s`
  if (hold.sinceRenewedSeconds === null) return `A sync of this connection is running, or stopped without finishing; if it stopped, ${again}.`
  if (leaseStopped(hold)) return stoppedSyncText(hold)
  return `A sync of this connection is running (last progress ${hold.sinceRenewedSeconds} s ago). If it stopped without finishing (its server stopped), ${again}.`
}

/**
 * A held lease whose holder stopped reporting progress, in words: the dashboard's status
 * and Refresh CRM's 409 both say it this way (one state, one wording).
 */
export function stoppedSyncText(hold: LeaseHold): string {
  return `The previous sync stopped without finishing (most likely its server stopped): no progress for ${hold.sinceRenewedSeconds ?? '?'} s. `
    + `This connection can sync again in ${hold.leftSeconds} s; Refresh CRM then goes on from where it stopped.`
}
