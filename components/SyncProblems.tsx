import type { SyncProblem } from '@/lib/store/dashboard'
import { OBJECT_LABEL, objectName, shownError, timeAgo } from './format'

/** When a failed record is tried again: at the first sync after its backoff. */
function nextTry(at: Date | null, now = Date.now()): string {
  const minutes = at ? Math.ceil((new Date(at).getTime() - now) / 60_000) : 0
  if (minutes <= 0) return 'tried again on the next sync'
  return `tried again at the first sync after ${minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`}`
}

/** The records that failed to sync, each with the reason: what a "n failed" count is made of. */
export function SyncProblems({ problems }: { problems: SyncProblem[] }) {
  if (problems.length === 0) return null
  return (
    <details open data-testid="sync-problems">
      <summary className="cursor-pointer text-sm font-medium text-rose-700">Records that failed to sync ({problems.length})</summary>
      <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-rose-100 text-xs">
        {problems.map((p, i) => (
          <li key={i} className="flex flex-wrap items-baseline gap-x-2 px-3 py-2">
            <span className="font-medium text-slate-700" title={OBJECT_LABEL[p.objectType]}>{objectName(p.objectType)}</span>
            <span className="text-slate-900">{p.record}</span>
            <span className="text-slate-500">{p.direction === 'pull' ? 'HubSpot → app' : 'app → HubSpot'}</span>
            <span className="min-w-0 flex-1 break-words text-rose-700">{shownError(p.message)}</span>
            <span className="text-slate-500">
              {timeAgo(p.at)}
              {p.attempts !== undefined && ` · tried ${p.attempts}× · ${nextTry(p.nextAttemptAt ?? null)}`}
            </span>
          </li>
        ))}
      </ul>
    </details>
  )
}
