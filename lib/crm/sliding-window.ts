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
 */
export class SlidingWindow {
  /** When the answered calls were answered, oldest first. */
  private readonly answered: number[] = []
  private inFlight = 0
  private wakeOnAnswer: Array<() => void> = []

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    // Monotonic: a wall clock set back would keep old calls in the window, set forward drop them early.
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs `call` once it fits in the window; its slot is dated when it settles, answer or failure. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await call()
    } finally {
      this.inFlight--
      this.answered.push(this.now())
      for (const wake of this.wakeOnAnswer.splice(0)) wake()
    }
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const horizon = this.now() - this.windowMs
      while (this.answered.length > 0 && this.answered[0] <= horizon) this.answered.shift()
      if (this.inFlight + this.answered.length < this.limit) {
        this.inFlight++
        return
      }
      // Full: the oldest answered call leaves the window first; with none answered yet, wait for an answer.
      if (this.answered.length > 0) await this.sleep(this.answered[0] - horizon)
      else await new Promise<void>((resolve) => this.wakeOnAnswer.push(resolve))
    }
  }
}
