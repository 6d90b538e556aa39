import type { RunGroupPoint } from '@/lib/store/dashboard'
import { counted, duration, figure, timeAgo } from './format'
import { runMarks } from './run-history-geometry'
import { runOutcome, triggerText } from './sync-state-text'

const FRAME = { width: 640, height: 140, pad: 24, minSlots: 20 }
const COLOR = { success: '#10b981', partial: '#f59e0b', failed: '#f43f5e', running: '#0ea5e9' } as const

/** Records written per run (bars) and run duration (line and points), oldest to newest. Plain SVG. */
export function RunHistoryChart({ runs }: { runs: RunGroupPoint[] }) {
  if (runs.length === 0) return null
  const marks = runMarks(runs, FRAME)
  const maxRecords = Math.max(...runs.map((r) => r.records))
  const maxMs = Math.max(...runs.map((r) => r.durationMs))
  const label = (r: RunGroupPoint) => `${timeAgo(r.startedAt)} · ${triggerText(r.trigger)} · ${counted(r.records, 'record')} · ${duration(r.durationMs)} · ${runOutcome(r)}`
  const { width: W, height: H, pad: PAD } = FRAME
  return (
    <figure className="space-y-2">
      {/* The scale in the page's own type: as SVG text it grew and shrank with the chart (about 20 px high at 1360 px wide, 5 px at 375). */}
      <p className="text-xs text-slate-500" data-testid="run-history-scale">Most records in a run: {figure(maxRecords)} · longest run: {duration(maxMs)}</p>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label="Records written and duration per sync run">
        <line x1={PAD} x2={W - PAD} y1={H - PAD} y2={H - PAD} stroke="#cbd5e1" />
        {runs.map((r, i) => (
          <rect key={r.runGroup} {...marks[i].bar} fill={COLOR[r.status]} opacity={0.75}>
            <title>{label(r)}</title>
          </rect>
        ))}
        <polyline points={marks.map((m) => `${m.point.x},${m.point.y}`).join(' ')} fill="none" stroke="#334155" strokeWidth={1.5} />
        {runs.map((r, i) => (
          <circle key={r.runGroup} cx={marks[i].point.x} cy={marks[i].point.y} r={2.5} fill="#334155">
            <title>{label(r)}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="text-xs text-slate-500">
        Bars: records written (colour = outcome). Line: duration. Last {counted(runs.length, 'run')}, newest at the right.
      </figcaption>
    </figure>
  )
}
