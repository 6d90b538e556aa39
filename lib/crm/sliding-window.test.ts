import { describe, expect, it } from 'vitest'
import { SlidingWindow } from './sliding-window'

function fakeClock() {
  let t = 0
  return { now: () => t, sleep: async (ms: number) => { t += ms } }
}

describe('SlidingWindow', () => {
  it('lets a whole window through at once, then one per departure', async () => {
    const clock = fakeClock()
    const gate = new SlidingWindow(3, 1_000, 0, clock.now, clock.sleep)
    const times: number[] = []
    for (let i = 0; i < 7; i++) {
      await gate.acquire()
      times.push(clock.now())
    }
    expect(times).toEqual([0, 0, 0, 1001, 1001, 1001, 2002])
  })

  it.each([
    [190, 10_000, 1_000],
    [5, 1_000, 60],
    [100, 10_000, 500],
  ])('never lets more than %i requests into any %i ms window (%i requests)', async (limit, windowMs, n) => {
    const clock = fakeClock()
    const gate = new SlidingWindow(limit, windowMs, 50, clock.now, clock.sleep)
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      await gate.acquire()
      times.push(clock.now())
      clock.sleep(i % 7) // requests take a little time of their own
    }
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t > times[i] - windowMs && t <= times[i]).length
      expect(inWindow).toBeLessThanOrEqual(limit)
    }
  })
})
