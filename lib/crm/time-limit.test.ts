import { describe, expect, it } from 'vitest'
import { stopMarginMs, stopReason, timeLimitSignal } from './time-limit'

describe('stopMarginMs', () => {
  it.each([
    [300_000, 30_000], // Vercel's default limit: stop 30 s before
    [800_000, 30_000], // never more than 30 s
    [60_000, 6_000], // a tenth of a short limit
    [1_000, 100],
    [0, 0],
  ])('a %i ms limit stops %i ms before it', (budget, margin) => {
    expect(stopMarginMs(budget)).toBe(margin)
  })
})

describe('timeLimitSignal', () => {
  it('fires a margin before the limit, as a time limit', async () => {
    const signal = timeLimitSignal(200)
    expect(signal.aborted).toBe(false)
    await new Promise((r) => setTimeout(r, 250))
    expect(signal.aborted).toBe(true)
    expect(stopReason(signal)).toBe('stopped at the time limit')
  })
})

describe('stopReason', () => {
  it.each([
    [AbortSignal.abort(new DOMException('x', 'TimeoutError')), 'stopped at the time limit'],
    [AbortSignal.abort('stopped by SIGINT'), 'stopped by SIGINT'],
    [AbortSignal.abort(), 'stopped on request'],
    [AbortSignal.abort(new Error('shutting down')), 'shutting down'],
  ])('%#: %s', (signal, reason) => {
    expect(stopReason(signal)).toBe(reason)
  })
})
