import { figure } from '@/lib/counted'
import { refusedToken } from '@/lib/crm/errors'
import type { ObjectSummary, SyncSummary } from '@/lib/crm/sync-service'
import type { RunStatus } from '@/lib/store/runs'
import { PLURAL, SYNC_OBJECT_TYPES, type PluralObjectType, type SyncObjectType } from '@/lib/crm/types'
import { duration, OBJECT_LABEL, shownError } from './format'

// What Refresh CRM says when its run ends, one connection after another: how much changed, and
// when a type failed, which one, HubSpot's reason and what to do next. It said only
// "partial: 0 changed, 0 pushed in 2.9 s", which names neither what failed nor the way out.

// The summary's keys are plural; the labels (OBJECT_LABEL, the cards' own) are keyed by type.
const TYPE_OF = Object.fromEntries(SYNC_OBJECT_TYPES.map((t) => [PLURAL[t], t])) as Record<PluralObjectType, SyncObjectType>

// What happened, in the words a person would write it: the run's status field ("success:",
// "partial:") read as a log line. Lower case here, as each connection's part after the first
// is a clause of one line; the line as a whole starts with a capital (refreshResultText).
// 'running' never ends a sync (a summary is returned once the run is over); said in case.
const STATUS_WORD: Record<RunStatus, string> = { success: 'synced', partial: 'partly synced', failed: 'sync failed', running: 'still syncing' }

export function refreshResultText(results: SyncSummary[]): string {
  const text = results.map((s) => {
    if (s.status === 'busy') return 'a sync was already running'
    const objects = Object.entries(s.objects) as Array<[PluralObjectType, ObjectSummary]>
    const changed = objects.reduce((n, [, o]) => n + o.created + o.updated + o.archived, 0)
    const pushed = objects.reduce((n, [, o]) => n + o.pushed, 0)
    const outcome = `${STATUS_WORD[s.status]}: ${figure(changed)} changed, ${figure(pushed)} pushed in ${duration(s.durationMs)}`
    if (s.stopped) return `${outcome} (${s.stopped}; the next sync goes on from there)`
    const failed = objects.filter(([, o]) => o.status === 'failed')
    const someRecords = objects.some(([, o]) => o.status === 'partial' || (o.status !== 'failed' && o.failed > 0))
    const said = failed.map(([type, o]) => `${OBJECT_LABEL[TYPE_OF[type]]} failed${o.error ? ` (${shownError(o.error)})` : ''}`)
    if (someRecords) said.push('some records failed (listed on the card)')
    if (said.length === 0) return outcome
    const next = failed.some(([, o]) => o.error && refusedToken(o.error)) ? 'Reconnect HubSpot, then Refresh CRM' : 'Refresh CRM tries again'
    const detail = said.join('; ')
    return `${outcome}. ${detail[0].toUpperCase()}${detail.slice(1)}. ${next}.`
  }).join('; ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}
