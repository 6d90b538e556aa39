// Where the run-history chart draws each run: pure, so it is tested without a browser.

export interface ChartFrame {
  width: number
  height: number
  pad: number
  /**
   * Slots the chart always has room for. With fewer runs they keep a slot's width and stand at
   * the right (newest last): two runs drew two bars each a third of the chart wide, and one run's
   * duration line was a single point, not drawn at all.
   */
  minSlots: number
}

export interface RunMark {
  /** The bar: records written. */
  bar: { x: number; y: number; width: number; height: number }
  /** The duration's point on the line. */
  point: { x: number; y: number }
}

export function runMarks(runs: Array<{ records: number; durationMs: number }>, f: ChartFrame): RunMark[] {
  const maxRecords = Math.max(1, ...runs.map((r) => r.records))
  const maxMs = Math.max(1, ...runs.map((r) => r.durationMs))
  const slots = Math.max(f.minSlots, runs.length)
  const step = (f.width - 2 * f.pad) / slots
  const first = slots - runs.length
  const base = f.height - f.pad
  const y = (v: number, max: number) => base - (v / max) * (f.height - 2 * f.pad)
  return runs.map((r, i) => {
    const left = f.pad + step * (first + i)
    const top = y(r.records, maxRecords)
    // A run that wrote nothing still shows, one unit high, in its outcome's colour.
    return {
      bar: { x: left + step * 0.15, y: Math.min(top, base - 1), width: step * 0.7, height: Math.max(1, base - top) },
      point: { x: left + step / 2, y: y(r.durationMs, maxMs) },
    }
  })
}
