/** Time source for the sandbox. Tests inject their own so windows and expiries are exact. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock tests move by hand: rate-limit windows, token expiry and index lag without sleeps. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 15, 12, 0, 0)) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
  set(ms: number): void {
    this.t = ms
  }
}

/** Wraps a base clock with an offset the control API can move (`POST /_sandbox/clock`). */
export class OffsetClock implements Clock {
  offsetMs = 0
  constructor(private base: Clock) {}
  now(): number {
    return this.base.now() + this.offsetMs
  }
  /**
   * The time without the offset: the receiver's clock. A webhook's signed timestamp is
   * checked against the app's own clock (5 minutes either way), which the offset does not
   * move; signed with the sandbox's time, every delivery after `POST /_sandbox/clock` was
   * refused as from the future, for good (the offset only grows).
   */
  baseNow(): number {
    return this.base.now()
  }
}

/**
 * HubSpot's updatedAt must strictly increase per write in a portal so that a sync engine
 * paging by `lastmodifieddate` never sees two writes share a timestamp it has passed.
 */
export class WriteStamp {
  private last = 0
  constructor(private clock: Clock) {}
  next(): number {
    this.last = Math.max(this.clock.now(), this.last + 1)
    return this.last
  }
  /** Seeding writes history in the past; later writes must still come after it. */
  observe(ms: number): void {
    if (ms > this.last) this.last = ms
  }
}
