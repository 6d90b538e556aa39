// Where the run-history chart draws each run: pure, so it is tested without a browser. The
// time "now" is an argument: a run still running is drawn by its time so far as of the render.

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

export interface ChartRun {
  records: number
  /** The run's types' durations summed: those still running have none yet. */
  durationMs: number
  status: string
  startedAt: Date
}

export interface RunMark {
  /** The bar: records written. */
  bar: { x: number; y: number; width: number; height: number }
  /** The duration's point on the line. */
  point: { x: number; y: number }
  /** Still running: its duration is its time so far, and the chart draws it apart. */
  running: boolean
  /** The duration drawn: a running run's time so far. */
  durationMs: number
}

/**
 * A run's duration as of `now`: a running run's finished types have a duration and the one in
 * flight has none, so it was drawn as 0 (or as the finished types alone). Its time so far is
 * the wall time since it started; never less than what its finished types took.
 */
export function shownDurationMs(run: Pick<ChartRun, 'durationMs' | 'status' | 'startedAt'>, now: number): number {
  if (run.status !== 'running') return run.durationMs
  return Math.max(run.durationMs, now - run.startedAt.getTime())
}

export function runMarks(runs: ReadonlyArray<ChartRun>, f: ChartFrame, now: number): RunMark[] {
  const durations = runs.map((r) => shownDurationMs(r, now))
  const maxRecords = Math.max(1, ...runs.map((r) => r.records))
  const maxMs = Math.max(1, ...durations)
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
      point: { x: left + step / 2, y: y(durations[i], maxMs) },
      running: r.status === 'running',
      durationMs: durations[i],
    }
  })
}
