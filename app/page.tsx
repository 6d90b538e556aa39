import { ConflictsQueue, type ConflictView } from '@/components/ConflictsQueue'
import { ConnectCrmButton } from '@/components/ConnectCrmButton'
import { ConnectionCard } from '@/components/ConnectionCard'
import { DisconnectedState } from '@/components/DisconnectedState'
import { EmptyState } from '@/components/EmptyState'
import { LeadsTable } from '@/components/LeadsTable'
import { LiveStatusProvider } from '@/components/LiveStatus'
import { shownFields } from '@/components/phone-format'
import { RefreshCrmButton } from '@/components/RefreshCrmButton'
import { nangoConfigured } from '@/lib/crm/nango-flow'
import { oauthConfigured } from '@/lib/crm/oauth-flow'
import { phoneCountryOf } from '@/lib/crm/phone-country'
import { statusPayload } from '@/lib/crm/live-changes'
import { awaitingReconnect, connectionStatuses } from '@/lib/crm/status'
import { conflictsForReview } from '@/lib/crm/conflicts-queue'
import { countOpenConflicts, dismissStaleConflicts, type ConflictRow } from '@/lib/store/conflicts'
import { CONFLICTS_PAGE_SIZE, conflictsHref, conflictsPage, conflictsPageSchema } from '@/lib/conflicts-query'
import { LEADS_PAGE_SIZE, leadsQuerySchema } from '@/lib/leads-query'
import { countMatchingLeads, liveLeadCounts, recentLeads, runHistory, SEARCH_COUNT_CAP, syncProblems } from '@/lib/store/dashboard'
import { tenantFieldOptions } from '@/lib/store/field-options'
import { getSql } from '@/lib/store/db'
import { figure } from '@/lib/counted'
import { redirect } from 'next/navigation'
import { noticeToShow } from '@/lib/crm/connect-notice'
import { HttpError } from '@/lib/http'
import { currentTenantId } from '@/lib/tenant'

export const dynamic = 'force-dynamic'

const conflictLabel = (c: ConflictRow) =>
  [c.local.firstName ?? c.remote.firstName, c.local.lastName ?? c.remote.lastName].filter(Boolean).join(' ') ||
  c.local.email || c.remote.email || c.local.name || c.remote.name || c.remoteId

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams
  // Only what the OAuth callback signed: the query is anyone's to write (lib/crm/connect-notice.ts).
  const connectError = noticeToShow(params.connect_error, params.connect_error_sig)
  const sql = await getSql()
  const tenant = await currentTenantId().then((id) => ({ id, refusal: null }), (e: unknown) => {
    // Supabase Auth configured and nobody signed in.
    if (e instanceof HttpError && e.status === 401) redirect('/login')
    // Production with no sign-in configured: say what to set instead of a blank error page.
    if (e instanceof HttpError && e.code === 'sign_in_not_configured') return { id: null, refusal: e.message }
    throw e
  })
  if (tenant.id === null) {
    return <div className="mx-auto max-w-2xl"><h1 className="text-lg font-semibold">Syncline</h1><p role="alert" className="mt-4">{tenant.refusal}</p></div>
  }
  const tenantId = tenant.id
  const oauth = oauthConfigured()
  const nango = nangoConfigured()
  const leadsQuery = leadsQuerySchema.parse(params)
  // Conflicts whose record is gone on a side can never be decided: closed before anything counts them.
  await dismissStaleConflicts(sql, tenantId)
  const [connections, leads, { leads: total, changes: leadsChanged }, matching, openTotal, options] = await Promise.all([
    connectionStatuses(sql, tenantId),
    recentLeads(sql, tenantId, { search: leadsQuery.q, limit: LEADS_PAGE_SIZE, offset: (leadsQuery.page - 1) * LEADS_PAGE_SIZE }),
    // A search's count goes as far as this page reaches, at least SEARCH_COUNT_CAP: "10,000+" past it.
    liveLeadCounts(sql, tenantId), leadsQuery.q ? countMatchingLeads(sql, tenantId, leadsQuery.q, Math.max(SEARCH_COUNT_CAP, leadsQuery.page * LEADS_PAGE_SIZE)) : null,
    countOpenConflicts(sql, tenantId),
    tenantFieldOptions(sql, tenantId, 'contact'),
  ])
  // The connections just read say it: no second read of them.
  const phoneCountry = phoneCountryOf(connections.map((c) => c.settings.defaultCountry))
  const conflictPage = conflictsPage(conflictsPageSchema.parse(params.conflicts_page), openTotal)
  const [histories, problems, openConflicts, disconnected] = await Promise.all([
    Promise.all(connections.map((c) => runHistory(sql, tenantId, c.id))), Promise.all(connections.map((c) => syncProblems(sql, tenantId, c.id))),
    conflictsForReview(sql, tenantId, { limit: CONFLICTS_PAGE_SIZE, offset: (conflictPage - 1) * CONFLICTS_PAGE_SIZE }),
    awaitingReconnect(sql, tenantId, connections),
  ])
  const conflicts: ConflictView[] = openConflicts.map((c) => ({
    id: c.id, objectType: c.objectType, label: conflictLabel(c), fields: c.fields, local: c.local, remote: c.remote, createdAt: c.createdAt.toISOString(),
    shown: { local: shownFields(c.objectType, c.local, phoneCountry.country), remote: shownFields(c.objectType, c.remote, phoneCountry.country) },
  }))

  return (
    <LiveStatusProvider initial={statusPayload(connections, leadsChanged, disconnected)} startLive={typeof params.connected === 'string'}>
      <div className="space-y-6">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h1 className="text-2xl font-semibold">Dashboard</h1>
          {connections.length > 0 && (
            // Refresh CRM's outcome is an item of this row (RefreshCrmButton is `contents`): on a phone it takes a line of its own above the buttons.
            <div className="flex w-full flex-wrap items-center gap-x-3 gap-y-2 sm:w-auto sm:justify-end">
              <RefreshCrmButton />
              <ConnectCrmButton oauth={oauth} nango={nango} another />
            </div>
          )}
        </div>
        {connectError && (
          <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-700">Connecting failed: {connectError}</p>
        )}
        {connections.length === 0 ? (
          // Only disconnected ones: they are kept, and connecting the same portal brings one back.
          disconnected ? <DisconnectedState portals={disconnected.portals} oauth={oauth} nango={nango} /> : <EmptyState oauth={oauth} nango={nango} />
        ) : (
          <section className="space-y-4">
            {connections.map((c, i) => <ConnectionCard key={c.id} connection={c} history={histories[i]} problems={problems[i]} oauth={oauth} nango={nango} />)}
          </section>
        )}
        <LeadsTable leads={leads} total={total} matching={matching?.n ?? total} more={matching?.more} query={leadsQuery} phoneCountry={phoneCountry} options={options} />
        {(openTotal > 0 || connections.length > 0) && (
          <section id="conflicts" className="rounded-lg border border-slate-200 bg-white">
            <h2 className="border-b border-slate-200 px-4 py-3 font-semibold" data-testid="conflicts-heading">
              Conflicts to review ({conflicts.length < openTotal ? `${figure(conflicts.length)} of ${figure(openTotal)}` : figure(openTotal)})
            </h2>
            <ConflictsQueue
              conflicts={conflicts} total={openTotal} first={(conflictPage - 1) * CONFLICTS_PAGE_SIZE + 1}
              previousHref={conflictPage > 1 ? conflictsHref(leadsQuery, conflictPage - 1) : null}
              nextHref={conflictPage * CONFLICTS_PAGE_SIZE < openTotal ? conflictsHref(leadsQuery, conflictPage + 1) : null}
            />
          </section>
        )}
      </div>
    </LiveStatusProvider>
  )
}
