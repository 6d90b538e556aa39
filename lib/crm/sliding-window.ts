import { OthersInWindow, othersCounted, type CrmCount } from './others-in-window'

/**
 * A client-side gate for a rolling-window rate limit ("N requests per W ms, rolling"),
 * as HubSpot enforces its burst limit. Unlike evenly spaced requests it lets a run use
 * the whole window at once (190 requests straight away on a Professional portal), then
 * one more each time an old one leaves the window: the fastest pace the CRM accepts,
 * and never a 429 from the burst limit.
 *
 * A call's slot is dated when its answer came, not when it was sent: the CRM counted it
 * somewhere in between, and only the answer tells us it has. Dated at the send, a call
 * held up on its way (a loaded machine, a slow network) reached the CRM late, stayed in
 * the CRM's window after it had left ours, and the call that took its place drew a 429.
 * Dated at the answer, it leaves ours no sooner than the CRM's, whatever the delays, so
 * no margin is guessed; a call still unanswered holds its slot.
 *
 * The window is shared with our other processes calling with the same app and account
 * (the cron's sync, a webhook's fetch, the push), which this gate cannot see. An answer that
 * carries the CRM's own count (`CrmCount`) shows them: the calls it counted beyond ours are
 * held as taken (OthersInWindow), so this process slows down instead of drawing 429s.
 * For the same reason a gate that has had no answer for a whole window sends one call and
 * waits for its answer before sending more: until then it cannot know how full the window is.
 */
export class SlidingWindow {
  /** When our answered calls were answered, oldest first; kept while an unanswered call may need them. */
  private answered: number[] = []
  /** When each unanswered call was sent, oldest first. */
  private readonly sending: number[] = []
  private readonly others = new OthersInWindow()
  private wakeOnAnswer: Array<() => void> = []

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    // Monotonic: a wall clock set back would keep old calls in the window, set forward drop them early.
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Runs `call` once it fits in the window; its slot is dated when it settles, answer or
   * failure. `call` passes on what its answer said of the CRM's count, if it said anything.
   */
  async run<T>(call: (heard: (count: CrmCount | undefined) => void) => Promise<T>): Promise<T> {
    const sentAt = await this.acquire()
    let count: CrmCount | undefined
    try {
      return await call((c) => { count = c })
    } finally {
      const at = this.now()
      this.sending.splice(this.sending.indexOf(sentAt), 1)
      this.answered.push(at)
      if (count) this.others.saw(othersCounted(this.limit, count, this.oursMaybeCounted(sentAt, count.intervalMs)), at + count.intervalMs)
      for (const wake of this.wakeOnAnswer.splice(0)) wake()
    }
  }

  /**
   * Our calls the CRM may have counted when it answered a call sent at `sentAt`: it counted
   * that call at some moment after `sentAt`, over the interval before it. A call of ours
   * answered before `sentAt - interval` had reached it before then; any other, answered
   * since or still unanswered, may have been counted.
   */
  private oursMaybeCounted(sentAt: number, intervalMs: number): number {
    return this.sending.length + this.answered.length - firstAfter(this.answered, sentAt - intervalMs)
  }

  private async acquire(): Promise<number> {
    for (;;) {
      const now = this.now()
      const horizon = now - this.windowMs
      this.forgetUpTo(Math.min(horizon, (this.sending[0] ?? now) - this.windowMs))
      const first = firstAfter(this.answered, horizon)
      const ours = this.sending.length + this.answered.length - first
      const unheard = first === this.answered.length && this.sending.length > 0
      if (!unheard && ours + this.others.taken(now) < this.limit) {
        this.sending.push(now)
        return now
      }
      // Full: wait until the oldest of ours leaves the window or others' slots drain; with neither (or unheard), for an answer.
      const next = Math.min(first < this.answered.length ? this.answered[first] + this.windowMs : Infinity, this.others.nextDrop())
      if (!unheard && next < Infinity) await this.sleep(next - now)
      else await new Promise<void>((resolve) => this.wakeOnAnswer.push(resolve))
    }
  }

  private forgetUpTo(t: number): void {
    const n = firstAfter(this.answered, t)
    if (n > 0) this.answered = this.answered.slice(n)
  }
}

/** The index of the first entry after `t` in ascending `sorted` (its length when none is). */
function firstAfter(sorted: number[], t: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}
