/** What one answer said of the CRM's own count of the shared window (HubSpot: `X-HubSpot-RateLimit-Remaining`, `-Interval-Milliseconds`). */
export interface CrmCount {
  /** Calls the CRM still accepts in its window, this one already counted. */
  remaining: number
  /** The length of the CRM's window. */
  intervalMs: number
}

/**
 * Calls in the CRM's window that are not ours, from one answer: what the CRM says is used
 * (in our limit's terms) less every call of ours it may have counted. Ours it may have
 * counted are more than it did (some still on their way), so this never counts one of ours
 * as another's: a process alone finds 0. With a limit set above the CRM's own, the surplus
 * is held as taken too, so once it has heard the CRM the gate keeps to the CRM's limit.
 */
export function othersCounted(limit: number, count: CrmCount, oursMaybeCounted: number): number {
  return Math.max(0, limit - count.remaining - oursMaybeCounted)
}

/**
 * The calls other processes hold in the CRM's window, as our answers saw them. Each sighting
 * stands until one interval after its answer (the calls it saw reached the CRM before that
 * answer, so have left its window by then) and the largest sighting still standing counts,
 * so a newer, smaller sighting (taken while some of ours were still on their way, or once
 * the others slowed) does not free slots an older one showed taken before they can have
 * drained. Sightings only expire: held slots always drain within one interval of the last
 * answer that showed them.
 */
export class OthersInWindow {
  /** Sightings still standing, none both smaller and sooner gone than another. */
  private standing: Array<{ calls: number; until: number }> = []

  saw(calls: number, until: number): void {
    if (calls <= 0) return
    this.standing = this.standing.filter((s) => s.calls > calls || s.until > until)
    if (!this.standing.some((s) => s.calls >= calls && s.until >= until)) this.standing.push({ calls, until })
  }

  /** Slots taken by others at `now`. */
  taken(now: number): number {
    this.standing = this.standing.filter((s) => s.until > now)
    return this.standing.reduce((most, s) => Math.max(most, s.calls), 0)
  }

  /** When the count may next fall (Infinity when nothing is held). */
  nextDrop(): number {
    return this.standing.reduce((soonest, s) => Math.min(soonest, s.until), Infinity)
  }
}
