import type { RunGroupPoint } from '@/lib/store/dashboard'
import { duration, timeAgo } from './format'
import { runOutcome } from './sync-state-text'

const W = 640
const H = 140
const PAD = 24
const COLOR = { success: '#10b981', partial: '#f59e0b', failed: '#f43f5e', running: '#0ea5e9' } as const

/** Records written per run (bars) and run duration (line), oldest to newest. Plain SVG. */
export function RunHistoryChart({ runs }: { runs: RunGroupPoint[] }) {
  if (runs.length === 0) return null
  const maxRecords = Math.max(1, ...runs.map((r) => r.records))
  const maxMs = Math.max(1, ...runs.map((r) => r.durationMs))
  const step = (W - 2 * PAD) / runs.length
  const y = (v: number, max: number) => H - PAD - (v / max) * (H - 2 * PAD)
  const line = runs.map((r, i) => `${PAD + step * (i + 0.5)},${y(r.durationMs, maxMs)}`).join(' ')
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label="Records written and duration per sync run">
        <line x1={PAD} x2={W - PAD} y1={H - PAD} y2={H - PAD} stroke="#cbd5e1" />
        {runs.map((r, i) => {
          const top = y(r.records, maxRecords)
          return (
            <rect key={r.runGroup} x={PAD + step * i + step * 0.15} width={step * 0.7} y={top} height={Math.max(1, H - PAD - top)} fill={COLOR[r.status]} opacity={0.75}>
              <title>{`${timeAgo(r.startedAt)} · ${r.trigger} · ${r.records} records · ${duration(r.durationMs)} · ${runOutcome(r)}`}</title>
            </rect>
          )
        })}
        <polyline points={line} fill="none" stroke="#334155" strokeWidth={1.5} />
        <text x={PAD} y={14} fontSize={11} fill="#64748b">max {maxRecords} records · {duration(maxMs)}</text>
      </svg>
      <figcaption className="text-xs text-slate-500">Bars: records written (colour = outcome). Line: duration. Last {runs.length} runs.</figcaption>
    </figure>
  )
}
