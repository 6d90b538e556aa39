import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SlidingWindow } from './sliding-window'

function fakeClock() {
  let t = 0
  return { now: () => t, sleep: async (ms: number) => { t += ms } }
}

/** The CRM's side: a rolling window counted when each call arrives, as HubSpot (and the sandbox) count; returns how many remain of `max`. */
function crmWindow(windowMs: number, max: number) {
  const arrivals: number[] = []
  let most = 0
  return {
    arrive(t: number): number {
      arrivals.push(t)
      const inWindow = arrivals.filter((a) => a > t - windowMs).length
      most = Math.max(most, inWindow)
      return max - inWindow
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

  describe('the CRM never counts more than the limit, however late calls reach it, and a process alone uses all of it', () => {
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

    /** Runs the calls; returns the CRM's peak and when the last call reached it. */
    async function run(limit: number, windowMs: number, n: number, callers: number, there: (i: number) => number, back: (i: number) => number, hear: boolean) {
      const crm = crmWindow(windowMs, limit)
      const gate = new SlidingWindow(limit, windowMs, () => Date.now())
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
      const t0 = Date.now()
      let last = 0
      let next = 0
      const caller = async () => {
        for (let i = next++; i < n; i = next++) {
          await gate.run(async (heard) => {
            await sleep(there(i))
            const remaining = crm.arrive(Date.now())
            last = Math.max(last, Date.now() - t0)
            await sleep(back(i))
            if (hear) heard({ remaining, intervalMs: windowMs })
          })
        }
      }
      const all = Promise.all(Array.from({ length: callers }, caller))
      await vi.runAllTimersAsync()
      await all
      expect(next).toBeGreaterThanOrEqual(n)
      return { most: crm.most(), last }
    }

    it.each(cases)('%s', async (_case, limit, windowMs, n, callers, there, back) => {
      const heard = await run(limit, windowMs, n, callers, there, back, true)
      expect(heard.most).toBeLessThanOrEqual(limit)
      // And the whole window is used: the limit is reached, not kept under by a margin.
      expect(heard.most).toBe(limit)
      // Hearing the CRM's count of its own calls (some still on their way) costs a process alone nothing.
      const deaf = await run(limit, windowMs, n, callers, there, back, false)
      expect(heard.last).toBeLessThanOrEqual(deaf.last)
    })
  })
})

describe('SlidingWindow, hearing the CRM\'s own count', () => {
  // [case, limit, window, each call's [duration, remaining it answers or none], callers, when each call is sent]
  const cases: Array<[string, number, number, Array<[number, number | undefined]>, number, number[]]> = [
    ['an answer showing 6 others\' calls holds them as taken until one window after it, then they drain', 10, 1_000,
      [[0, 3], ...Array<[number, undefined]>(12).fill([0, undefined])], 1, [0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]],
    ['a later answer showing fewer others does not free what an earlier one showed', 10, 1_000,
      [[0, 3], [0, 8], [0, undefined], [0, undefined], [0, undefined]], 1, [0, 0, 0, 0, 1_000]],
    ['an answer with no count (search, or headers that could not be read) changes nothing', 3, 1_000,
      Array<[number, undefined]>(4).fill([0, undefined]), 1, [0, 0, 0, 1_000]],
    ['a gate that has heard nothing sends one call and waits for its answer before the next', 10, 1_000,
      [[100, 5], ...Array<[number, undefined]>(6).fill([0, undefined])], 2, [0, 100, 100, 100, 100, 100, 1_100]],
  ]

  it.each(cases)('%s', async (_case, limit, windowMs, calls, callers, sent) => {
    let t = 0
    const timers: Array<{ at: number; wake: () => void }> = []
    const sleep = (ms: number) => new Promise<void>((wake) => timers.push({ at: t + ms, wake }))
    const gate = new SlidingWindow(limit, windowMs, () => t, sleep)
    const times: number[] = []
    let next = 0
    const caller = async () => {
      for (let i = next++; i < calls.length; i = next++) {
        await gate.run(async (heard) => {
          times[i] = t
          const [duration, remaining] = calls[i]
          if (duration > 0) await sleep(duration)
          heard(remaining === undefined ? undefined : { remaining, intervalMs: windowMs })
        })
      }
    }
    const all = Promise.all(Array.from({ length: callers }, caller))
    // A fake clock: settle everything due now, then move to the next timer.
    for (;;) {
      for (let k = 0; k < 20; k++) await Promise.resolve()
      if (timers.length === 0) break
      timers.sort((a, b) => a.at - b.at)
      const due = timers.shift()!
      t = Math.max(t, due.at)
      due.wake()
    }
    await all
    expect(times).toEqual(sent)
  })
})

/**
 * HubSpot's side of a window shared by several processes: each call counted when it
 * arrives, refused (and not counted) once the window is full, and every answer carrying
 * what remains, this call counted, as X-HubSpot-RateLimit-Remaining does.
 */
function sharedCrmWindow(max: number, windowMs: number) {
  const arrivals: number[] = []
  let refused = 0
  return {
    arrive(t: number): { ok: boolean; remaining: number } {
      while (arrivals.length > 0 && arrivals[0] <= t - windowMs) arrivals.shift()
      if (arrivals.length >= max) {
        refused++
        return { ok: false, remaining: 0 }
      }
      arrivals.push(t)
      return { ok: true, remaining: max - arrivals.length }
    },
    refused: () => refused,
  }
}

interface Process { limit: number; calls: number; callers: number; startAt: number }

describe('SlidingWindow, sharing the CRM\'s window with other processes', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

  /** Each process's calls through its own gate against one CRM window; a refused call waits 10 s and goes again, as HubSpotApi retries a 429. */
  async function refusals(max: number, windowMs: number, processes: Process[], there: (i: number) => number, back: (i: number) => number, hear: boolean) {
    const crm = sharedCrmWindow(max, windowMs)
    const one = async (p: Process, index: number) => {
      await sleep(p.startAt)
      const gate = new SlidingWindow(p.limit, windowMs, () => Date.now())
      let next = 0
      const caller = async () => {
        for (let i = next++; i < p.calls; i = next++) {
          for (let done = false; !done;) {
            await gate.run(async (heard) => {
              await sleep(there(i + index * 7))
              const answer = crm.arrive(Date.now())
              await sleep(back(i + index * 13))
              if (hear) heard({ remaining: answer.remaining, intervalMs: windowMs })
              done = answer.ok
            })
            if (!done) await sleep(10_000)
          }
        }
      }
      await Promise.all(Array.from({ length: p.callers }, caller))
    }
    const all = Promise.all(processes.map(one))
    await vi.runAllTimersAsync()
    await all
    return crm.refused()
  }

  // Delays vary call by call, as on a real network. What remains is the race no count can
  // settle: two processes each sending into the window's last slots at once, neither yet
  // counted by the CRM, so neither sees the other's.
  const there = (i: number) => 5 + ((i * 7919) % 40)
  const back = (i: number) => 5 + ((i * 104_729) % 30)
  // [case, the CRM's max, window, processes]
  const cases: Array<[string, number, number, Process[]]> = [
    ['two processes start together, six callers each', 100, 10_000,
      [{ limit: 100, calls: 300, callers: 6, startAt: 0 }, { limit: 100, calls: 300, callers: 6, startAt: 0 }]],
    ['a second process starts once the first has filled the window', 100, 10_000,
      [{ limit: 100, calls: 400, callers: 6, startAt: 0 }, { limit: 100, calls: 150, callers: 6, startAt: 4_000 }]],
    ['a newcomer with a few calls joins a full window', 100, 10_000,
      [{ limit: 100, calls: 300, callers: 6, startAt: 0 }, { limit: 100, calls: 20, callers: 6, startAt: 5_000 }]],
    ['three processes', 100, 10_000, [0, 2_500, 7_000].map((startAt) => ({ limit: 100, calls: 200, callers: 6, startAt }))],
    ['a Professional portal: 190, a sync and the push', 190, 10_000,
      [{ limit: 190, calls: 500, callers: 6, startAt: 0 }, { limit: 190, calls: 200, callers: 6, startAt: 12_345 }]],
  ]

  it.each(cases)('%s: at most half the refusals of gates that do not hear the count', async (_case, max, windowMs, processes) => {
    const heeding = await refusals(max, windowMs, processes, there, back, true)
    const deaf = await refusals(max, windowMs, processes, there, back, false)
    expect(deaf).toBeGreaterThan(0)
    expect(heeding, `${heeding} refused hearing the count, ${deaf} without`).toBeLessThanOrEqual(deaf / 2)
  })
})
