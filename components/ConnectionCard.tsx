import type { ConnectionStatusView } from '@/lib/crm/status'
import type { RunGroupPoint, SyncProblem } from '@/lib/store/dashboard'
import { connectionHeading } from './connection-heading'
import { DisconnectButton } from './DisconnectButton'
import { MissingExtraProperties } from './MissingExtraProperties'
import { counted, figure, timeAgo } from './format'
import { ReconnectPrompt } from './ReconnectPrompt'
import { RunHistoryChart } from './RunHistoryChart'
import { SyncSettings } from './SyncSettings'
import { SyncProblems } from './SyncProblems'
import { SyncStatus } from './SyncStatus'
import { WebhookStatus } from './WebhookStatus'

const AUTH_LABEL = { oauth: 'OAuth', private_app: 'private app', nango: 'Nango' } as const
/** The connection's status in words: 'needs_reauth' showed as "needs reauth", jargon beside the prompt's "Reconnect". */
const STATUS_LABEL: Record<ConnectionStatusView['status'], string> = {
  active: 'active', paused: 'paused', needs_reauth: 'needs reconnecting', disconnected: 'disconnected', error: 'error',
}

export function ConnectionCard({ connection: c, history, problems, oauth, nango }: {
  connection: ConnectionStatusView; history: RunGroupPoint[]; problems: SyncProblem[]; oauth: boolean; nango: boolean
}) {
  const heading = connectionHeading(c)
  return (
    <article className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="connection">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 className="font-semibold">{heading.title}</h2>
          <p className="text-sm text-slate-500">
            {heading.portal && <>{heading.portal} · </>}{AUTH_LABEL[c.authMethod]} · <span data-testid="connection-status">{STATUS_LABEL[c.status]}</span>
            {' · '}last sync {timeAgo(c.lastSyncedAt)}
            {c.openConflicts > 0 && <> · <a href="#conflicts" className="text-amber-700 underline">{counted(c.openConflicts, 'open conflict')}</a></>}
            {c.outboxFailed > 0 && <> · <span className="text-rose-600">{figure(c.outboxFailed)} {c.outboxFailed === 1 ? "record's changes" : "records' changes"} failed to push</span></>}
          </p>
        </div>
        <DisconnectButton connectionId={c.id} />
      </header>
      {c.status === 'needs_reauth' && <ReconnectPrompt reason={c.statusReason} oauth={oauth} nango={nango} />}
      <SyncStatus connectionId={c.id} />
      <SyncProblems problems={problems} />
      <MissingExtraProperties missing={c.extraPropertiesMissing} />
      <WebhookStatus connectionId={c.id} webhooks={c.webhooks} />
      <SyncSettings connectionId={c.id} settings={c.settings} openConflicts={c.openConflicts} />
      <details open={history.length > 1}>
        <summary className="cursor-pointer text-sm font-medium text-slate-600">Run history</summary>
        <div className="mt-2"><RunHistoryChart runs={history} /></div>
      </details>
    </article>
  )
}
