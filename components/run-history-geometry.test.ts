import { describe, expect, it } from 'vitest'
import { runMarks } from './run-history-geometry'

const frame = { width: 240, height: 120, pad: 20, minSlots: 10 } // 200 wide: 20 a slot; 80 high from y 100 up to 20

describe('runMarks', () => {
  type Case = [name: string, runs: Array<{ records: number; durationMs: number }>, expected: Array<{ x: number; w: number; top: number; h: number; px: number; py: number }>]
  const cases: Case[] = [
    ['no runs: nothing', [], []],
    ['one run: the last slot, full height, its point drawn', [{ records: 5, durationMs: 100 }],
      [{ x: 203, w: 14, top: 20, h: 80, px: 210, py: 20 }]],
    ['two runs keep a slot each at the right, scaled to the larger', [{ records: 10, durationMs: 400 }, { records: 5, durationMs: 100 }],
      [{ x: 183, w: 14, top: 20, h: 80, px: 190, py: 20 }, { x: 203, w: 14, top: 60, h: 40, px: 210, py: 80 }]],
    ['a run that wrote nothing stays one unit high on the axis', [{ records: 4, durationMs: 0 }, { records: 0, durationMs: 0 }],
      [{ x: 183, w: 14, top: 20, h: 80, px: 190, py: 100 }, { x: 203, w: 14, top: 99, h: 1, px: 210, py: 100 }]],
  ]
  it.each(cases)('%s', (_name, runs, expected) => {
    const round = (n: number) => Math.round(n * 100) / 100
    expect(runMarks(runs, frame).map((m) => ({ x: round(m.bar.x), w: round(m.bar.width), top: round(m.bar.y), h: round(m.bar.height), px: round(m.point.x), py: round(m.point.y) })))
      .toEqual(expected)
  })

  it('more runs than slots: each run a narrower slot, the first at the left', () => {
    const marks = runMarks(Array.from({ length: 20 }, () => ({ records: 1, durationMs: 1 })), frame)
    expect(marks[0].bar.x).toBeCloseTo(20 + 10 * 0.15)
    expect(marks[19].bar.x + marks[19].bar.width).toBeCloseTo(220 - 10 * 0.15)
  })
})
