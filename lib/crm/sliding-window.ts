/**
 * A client-side gate for a rolling-window rate limit ("N requests per W ms, rolling"),
 * as HubSpot enforces its burst limit. Unlike evenly spaced requests it lets a run use
 * the whole window at once (190 requests straight away on a Professional portal), then
 * one more each time an old one leaves the window: the fastest pace the CRM accepts,
 * and never a 429 from the burst limit. `slackMs` widens the window to absorb the
 * difference between when we send and when the CRM counts.
 */
export class SlidingWindow {
  private readonly sent: number[] = []

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly slackMs = 100,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when one more request fits in the window, and counts it. */
  async acquire(): Promise<void> {
    for (;;) {
      const t = this.now()
      const horizon = t - this.windowMs - this.slackMs
      while (this.sent.length > 0 && this.sent[0] <= horizon) this.sent.shift()
      if (this.sent.length < this.limit) {
        this.sent.push(t)
        return
      }
      await this.sleep(this.sent[0] - horizon + 1)
    }
  }
}
