import { useId } from 'react'
import type { RunGroupPoint } from '@/lib/store/dashboard'
import { counted, duration, figure, timeAgo } from './format'
import { runMarks, type RunMark } from './run-history-geometry'
import { runOutcome, triggerText } from './sync-state-text'

const FRAME = { width: 640, height: 140, pad: 24, minSlots: 20 }
const COLOR = { success: '#10b981', partial: '#f59e0b', failed: '#f43f5e', running: '#0ea5e9' } as const

/**
 * Records written per run (bars) and run duration (line and points), oldest to newest. Plain SVG.
 * A run still running is drawn by its time so far as of this render (a server component,
 * rendered per request: the page's refresh draws it again), striped with a dashed outline,
 * its point hollow and the line to it dashed: it was drawn as a run of no time at all.
 */
export function RunHistoryChart({ runs }: { runs: RunGroupPoint[] }) {
  // One pattern per chart (a page has a chart per connection); React's id has characters url(#…) may not take.
  const stripes = `running-stripes-${useId().replace(/[^\w-]/g, '')}`
  if (runs.length === 0) return null
  const marks = runMarks(runs, FRAME, Date.now())
  const maxRecords = Math.max(...runs.map((r) => r.records))
  const maxMs = Math.max(...marks.map((m) => m.durationMs))
  const anyRunning = marks.some((m) => m.running)
  const label = (r: RunGroupPoint, m: RunMark) => `${timeAgo(r.startedAt)} · ${triggerText(r.trigger)} · ${counted(r.records, 'record')} · ${
    m.running ? `running, ${duration(m.durationMs)} so far` : `${duration(m.durationMs)} · ${runOutcome(r)}`}`
  const { width: W, height: H, pad: PAD } = FRAME
  return (
    <figure className="space-y-2">
      {/* The scale in the page's own type: as SVG text it grew and shrank with the chart (about 20 px high at 1360 px wide, 5 px at 375). */}
      <p className="text-xs text-slate-500" data-testid="run-history-scale">Most records in a run: {figure(maxRecords)} · longest run: {duration(maxMs)}</p>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label="Records written and duration per sync run">
        <defs>
          <pattern id={stripes} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
            <rect width={6} height={6} fill="#e0f2fe" />
            <rect width={3} height={6} fill={COLOR.running} />
          </pattern>
        </defs>
        <line x1={PAD} x2={W - PAD} y1={H - PAD} y2={H - PAD} stroke="#cbd5e1" />
        {runs.map((r, i) => marks[i].running ? (
          <rect key={r.runGroup} {...marks[i].bar} fill={`url(#${stripes})`} stroke={COLOR.running} strokeDasharray="3 2" data-testid="run-bar" data-running="">
            <title>{label(r, marks[i])}</title>
          </rect>
        ) : (
          <rect key={r.runGroup} {...marks[i].bar} fill={COLOR[r.status]} opacity={0.75} data-testid="run-bar">
            <title>{label(r, marks[i])}</title>
          </rect>
        ))}
        {/* Segment by segment: the one to a running run's point is dashed, as that point still moves. */}
        {marks.slice(1).map((m, i) => (
          <line key={runs[i + 1].runGroup} x1={marks[i].point.x} y1={marks[i].point.y} x2={m.point.x} y2={m.point.y}
            stroke="#334155" strokeWidth={1.5} strokeDasharray={m.running || marks[i].running ? '4 3' : undefined} />
        ))}
        {runs.map((r, i) => (
          <circle key={r.runGroup} cx={marks[i].point.x} cy={marks[i].point.y} data-testid="run-point"
            {...(marks[i].running ? { r: 3.5, fill: '#ffffff', stroke: COLOR.running, strokeWidth: 2 } : { r: 2.5, fill: '#334155' })}>
            <title>{label(r, marks[i])}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="text-xs text-slate-500">
        Bars: records written (colour = outcome). Line: duration. Last {counted(runs.length, 'run')}, newest at the right.
        {anyRunning && ' Striped: still running, drawn by its time so far.'}
      </figcaption>
    </figure>
  )
}
