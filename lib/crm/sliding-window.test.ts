import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SlidingWindow } from './sliding-window'

function fakeClock() {
  let t = 0
  return { now: () => t, sleep: async (ms: number) => { t += ms } }
}

/** The CRM's side: a rolling window counted when each call arrives, as HubSpot (and the sandbox) count. */
function crmWindow(windowMs: number) {
  const arrivals: number[] = []
  let most = 0
  return {
    arrive(t: number) {
      arrivals.push(t)
      most = Math.max(most, arrivals.filter((a) => a > t - windowMs).length)
    },
    most: () => most,
  }
}

describe('SlidingWindow', () => {
  it('lets a whole window through at once, then one per departure', async () => {
    const clock = fakeClock()
    const gate = new SlidingWindow(3, 1_000, clock.now, clock.sleep)
    const times: number[] = []
    for (let i = 0; i < 7; i++) await gate.run(async () => { times.push(clock.now()) })
    expect(times).toEqual([0, 0, 0, 1000, 1000, 1000, 2000])
  })

  it('holds a slot from the send until a window after the answer', async () => {
    const clock = fakeClock()
    const gate = new SlidingWindow(2, 1_000, clock.now, clock.sleep)
    const times: number[] = []
    for (let i = 0; i < 4; i++) await gate.run(async () => { times.push(clock.now()); await clock.sleep(300) })
    // Answered at 300 and 600: the third goes at 1,300, the fourth at 1,600.
    expect(times).toEqual([0, 300, 1300, 1600])
  })

  describe('the CRM never counts more than the limit, however late calls reach it', () => {
    beforeEach(() => { vi.useFakeTimers() })
    afterEach(() => { vi.useRealTimers() })

    // [case, limit, window, calls, concurrent callers, delay on the way there (ms) of call i, on the way back]
    const cases: Array<[string, number, number, number, number, (i: number) => number, (i: number) => number]> = [
      ['answers at once', 5, 1_000, 40, 1, () => 0, () => 0],
      ['the first call of the window reaches the CRM late', 100, 10_000, 230, 1, (i) => (i === 0 ? 600 : 0), () => 5],
      ['every tenth call is held up 600 ms on its way', 100, 10_000, 330, 1, (i) => (i % 10 === 3 ? 600 : 1), () => 1],
      ['six callers, uneven delays both ways', 100, 10_000, 400, 6, (i) => (i * 7919) % 500, (i) => (i * 104_729) % 150],
      ['search: five a second, two callers, slow answers', 5, 1_000, 60, 2, (i) => (i % 4 === 0 ? 350 : 20), () => 200],
    ]

    it.each(cases)('%s', async (_case, limit, windowMs, n, callers, there, back) => {
      const crm = crmWindow(windowMs)
      const gate = new SlidingWindow(limit, windowMs, () => Date.now())
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
      let next = 0
      const caller = async () => {
        for (let i = next++; i < n; i = next++) {
          await gate.run(async () => {
            await sleep(there(i))
            crm.arrive(Date.now())
            await sleep(back(i))
          })
        }
      }
      const all = Promise.all(Array.from({ length: callers }, caller))
      await vi.runAllTimersAsync()
      await all
      expect(next).toBeGreaterThanOrEqual(n)
      expect(crm.most()).toBeLessThanOrEqual(limit)
      // And the whole window is used: the limit is reached, not kept under by a margin.
      expect(crm.most()).toBe(limit)
    })
  })
})
