import { describe, expect, it } from 'vitest'
import { runMarks, shownDurationMs, type ChartRun } from './run-history-geometry'

const frame = { width: 240, height: 120, pad: 20, minSlots: 10 } // 200 wide: 20 a slot; 80 high from y 100 up to 20
const NOW = Date.parse('2026-12-02T12:00:00Z')
/** A run that started `ago` ms before NOW. */
const run = (records: number, durationMs: number, status = 'success', ago = 60_000): ChartRun =>
  ({ records, durationMs, status, startedAt: new Date(NOW - ago) })

describe('runMarks', () => {
  type Mark = { x: number; w: number; top: number; h: number; px: number; py: number; running?: true; ms: number }
  type Case = [name: string, runs: ChartRun[], expected: Mark[]]
  const cases: Case[] = [
    ['no runs: nothing', [], []],
    ['one run: the last slot, full height, its point drawn', [run(5, 100)],
      [{ x: 203, w: 14, top: 20, h: 80, px: 210, py: 20, ms: 100 }]],
    ['two runs keep a slot each at the right, scaled to the larger', [run(10, 400), run(5, 100)],
      [{ x: 183, w: 14, top: 20, h: 80, px: 190, py: 20, ms: 400 }, { x: 203, w: 14, top: 60, h: 40, px: 210, py: 80, ms: 100 }]],
    ['a run that wrote nothing stays one unit high on the axis', [run(4, 0), run(0, 0)],
      [{ x: 183, w: 14, top: 20, h: 80, px: 190, py: 100, ms: 0 }, { x: 203, w: 14, top: 99, h: 1, px: 210, py: 100, ms: 0 }]],
    // It was drawn on the axis, as if it had taken no time, and scaled nothing.
    ['a running run is drawn by its time so far (800 ms), the finished one scaled to it', [run(10, 400), run(5, 0, 'running', 800)],
      [{ x: 183, w: 14, top: 20, h: 80, px: 190, py: 60, ms: 400 }, { x: 203, w: 14, top: 60, h: 40, px: 210, py: 20, running: true, ms: 800 }]],
    ['a running run whose finished types are counted already: its time so far includes them', [run(10, 1_600), run(5, 300, 'running', 800)],
      [{ x: 183, w: 14, top: 20, h: 80, px: 190, py: 20, ms: 1_600 }, { x: 203, w: 14, top: 60, h: 40, px: 210, py: 60, running: true, ms: 800 }]],
    ['a finished run is drawn by its own duration, however long ago it started', [run(10, 400, 'failed', 86_400_000)],
      [{ x: 203, w: 14, top: 20, h: 80, px: 210, py: 20, ms: 400 }]],
  ]
  it.each(cases)('%s', (_name, runs, expected) => {
    const round = (n: number) => Math.round(n * 100) / 100
    expect(runMarks(runs, frame, NOW).map((m) => ({ x: round(m.bar.x), w: round(m.bar.width), top: round(m.bar.y), h: round(m.bar.height),
      px: round(m.point.x), py: round(m.point.y), ...(m.running ? { running: true } : {}), ms: m.durationMs })))
      .toEqual(expected)
  })

  it('more runs than slots: each run a narrower slot, the first at the left', () => {
    const marks = runMarks(Array.from({ length: 20 }, () => run(1, 1)), frame, NOW)
    expect(marks[0].bar.x).toBeCloseTo(20 + 10 * 0.15)
    expect(marks[19].bar.x + marks[19].bar.width).toBeCloseTo(220 - 10 * 0.15)
  })

  it('pure: the same runs and time give the same marks, the runs untouched; only the time moves a running run', () => {
    const runs = Object.freeze([Object.freeze(run(10, 400)), Object.freeze(run(5, 0, 'running', 800))])
    const before = structuredClone(runs)
    expect(runMarks(runs, frame, NOW)).toEqual(runMarks(runs, frame, NOW))
    expect(runs).toEqual(before)
    const later = runMarks(runs, frame, NOW + 800)
    expect(later.map((m) => m.durationMs)).toEqual([400, 1_600])
  })
})

describe("a run's duration as drawn", () => {
  it.each([
    ['finished: its duration', run(0, 1_234, 'success', 10_000), 1_234],
    ['partial: its duration', run(0, 900, 'partial', 10_000), 900],
    ['running: the time since it started', run(0, 0, 'running', 42_000), 42_000],
    ['running, its finished types longer than the clock says: those', run(0, 5_000, 'running', 1_000), 5_000],
    ['running, started after now (another clock): not below 0', run(0, 0, 'running', -3_000), 0],
  ] as const)('%s', (_, r, expected) => {
    expect(shownDurationMs(r, NOW)).toBe(expected)
  })
})
