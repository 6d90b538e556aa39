import type { ConnectionStatusView } from '@/lib/crm/status'
import { REALTIME_LABEL, realtimeOn, realtimeState } from '@/lib/crm/realtime-state'
import { counted, figure, timeAgo } from './format'
import { WebhookRetry } from './WebhookRetry'
import { WebhookToggle } from './WebhookToggle'

/** Real-time updates: whether HubSpot pushes changes to us, and how that is going. */
export function WebhookStatus({ connectionId, webhooks: w }: { connectionId: string; webhooks: ConnectionStatusView['webhooks'] }) {
  const state = realtimeState(w)
  const on = realtimeOn(w)
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600" data-testid="webhook-status">
      <span className={on ? 'text-emerald-700' : 'text-slate-500'} data-testid="realtime-state">{REALTIME_LABEL[state]}</span>
      {/* None yet is what "waiting for the first event" (or off, or not set up) already says: "0 events received" beside it repeated it. */}
      {w.totalReceived > 0 && <span>{counted(w.totalReceived, 'event')} received{w.lastReceivedAt ? `, last ${timeAgo(w.lastReceivedAt)}` : ''}</span>}
      {w.pending > 0 && <span>{figure(w.pending)} pending</span>}
      {w.failed > 0 && <span className="text-rose-600">{figure(w.failed)} failed</span>}
      {w.failed > 0 && <WebhookRetry connectionId={connectionId} />}
      <WebhookToggle connectionId={connectionId} enabled={on} />
    </div>
  )
}
