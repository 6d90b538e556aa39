import { describe, expect, it } from 'vitest'
import { OthersInWindow, othersCounted } from './others-in-window'

describe('othersCounted', () => {
  // [case, our limit, the CRM's remaining, ours it may have counted, others]
  const cases: Array<[string, number, number, number, number]> = [
    ['a process alone: the CRM counted only ours', 100, 60, 40, 0],
    ['a process alone, some of ours still on their way: never negative', 100, 65, 40, 0],
    ['another process holds 30', 100, 30, 40, 30],
    ['the window full, half of it others\'', 100, 0, 50, 50],
    ['a limit below the CRM\'s (100 of 190): others are counted once past the slack', 100, 150, 10, 0],
    ['a limit below the CRM\'s, others past the slack', 100, 50, 10, 40],
    ['a limit above the CRM\'s (1,000 of 100): the surplus is held as taken', 1_000, 90, 10, 900],
  ]
  it.each(cases)('%s', (_case, limit, remaining, ours, others) => {
    expect(othersCounted(limit, { remaining, intervalMs: 10_000 }, ours)).toBe(others)
  })
})

describe('OthersInWindow', () => {
  // [case, sightings as [calls, until], the times asked, slots taken at each]
  const cases: Array<[string, Array<[number, number]>, number[], number[]]> = [
    ['nothing seen: nothing taken', [], [0], [0]],
    ['a sighting holds its slots until it ends, then they drain', [[30, 10_000]], [0, 9_999, 10_000], [30, 30, 0]],
    ['a smaller, later sighting does not free slots an earlier one holds', [[30, 10_000], [20, 12_000]], [9_999, 10_000, 12_000], [30, 20, 0]],
    ['a larger, later sighting takes over at once', [[20, 10_000], [30, 12_000]], [5_000, 11_999, 12_000], [30, 30, 0]],
    ['a sighting of none adds nothing', [[10, 10_000], [0, 12_000]], [9_999, 10_000], [10, 0]],
    ['many sightings: the largest standing counts', [[5, 1_000], [50, 2_000], [10, 3_000], [40, 4_000]], [500, 1_500, 2_500, 3_500, 4_000], [50, 50, 40, 40, 0]],
  ]
  it.each(cases)('%s', (_case, sightings, times, taken) => {
    const others = new OthersInWindow()
    for (const [calls, until] of sightings) others.saw(calls, until)
    expect(times.map((t) => others.taken(t))).toEqual(taken)
  })

  it('says when its count may next fall', () => {
    const others = new OthersInWindow()
    expect(others.nextDrop()).toBe(Infinity)
    others.saw(30, 10_000)
    others.saw(20, 12_000)
    expect(others.nextDrop()).toBe(10_000)
    others.taken(10_000)
    expect(others.nextDrop()).toBe(12_000)
  })
})
