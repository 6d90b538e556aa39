import type { PhoneCountry } from '@/lib/crm/phone-country'
import { leadsHref, type LeadsPageQuery } from '@/lib/leads-query'
import type { LeadRow } from '@/lib/store/dashboard'
import { timeAgo } from './format'
import { optionLabel, type PortalOptions } from './hubspot-options'
import { LeadDialog } from './LeadDialog'
import { shownPhone } from './phone-format'
import { emptyLeadsText, leadCountText, leadsPaging } from './leads-text'

const name = (l: LeadRow) => [l.firstName, l.lastName].filter(Boolean).join(' ') || '—'

/** A lead's phone as people write it (components/phone-format.ts), a tel: link to the stored E.164, which its title shows. */
function Phone({ stored, country }: { stored: string; country: string }) {
  const phone = shownPhone(stored, country)
  if (!phone.e164) return <div className="text-xs text-slate-500" data-testid="lead-phone">{phone.text}</div>
  return (
    <div className="text-xs"><a href={`tel:${phone.e164}`} title={phone.e164} className="whitespace-nowrap text-slate-500 hover:underline" data-testid="lead-phone">{phone.text}</a></div>
  )
}

/**
 * Contacts, most recently changed first, with the CRM metadata a sales team looks for;
 * searchable by email, name or company, a page at a time. A plain GET form and links: it
 * works before (and without) the page's JavaScript.
 */
export function LeadsTable({ leads, total, matching, more, query, phoneCountry, options }: {
  leads: LeadRow[]; total: number; matching: number; query: LeadsPageQuery; phoneCountry: PhoneCountry
  /** More match the search than `matching`: its count stopped there (countMatchingLeads). */
  more?: boolean
  /** The portals' own options for lifecycle stage and lead status, as the sync read them. */
  options?: PortalOptions
}) {
  // The count, the pages and the empty line from one state, so they cannot disagree (components/leads-text.ts).
  const listState = { q: query.q, total, matching, more, shown: leads.length }
  const empty = emptyLeadsText(listState)
  const paging = leadsPaging(listState, query.page)
  return (
    <section id="leads" className="rounded-lg border border-slate-200 bg-white" data-testid="leads">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <h2 className="font-semibold">Leads</h2>
        <form method="get" action="/#leads" role="search" className="flex w-full items-center gap-2 sm:w-auto">
          <input
            type="search" name="q" defaultValue={query.q ?? ''} maxLength={200} placeholder="Email, name or company"
            aria-label="Search leads" className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm sm:w-64 sm:flex-none"
          />
          <button type="submit" className="shrink-0 rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50">Search</button>
          {query.q && <a href={leadsHref({ q: undefined, page: 1 })} className="shrink-0 text-sm text-sky-700 hover:underline">Clear</a>}
        </form>
        {/* Together at the right: alone, Add lead floated midway between the search and the count. */}
        <div className="flex w-full items-center justify-between gap-3 sm:w-auto">
          <LeadDialog phoneCountry={phoneCountry} options={options} />
          <span className="text-sm text-slate-500" data-testid="lead-count">{leadCountText(listState)}</span>
        </div>
      </header>
      {empty !== null ? (
        <p className="px-4 py-6 text-sm text-slate-500" data-testid="leads-empty">{empty}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                {['Name', 'Email', 'Company', 'Owner', 'Lifecycle stage', 'Lead status', 'Last activity', 'Updated'].map((h) => (
                  <th key={h} className="px-4 py-2 font-medium">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {leads.map((l) => (
                <tr key={l.id}>
                  <td className="px-4 py-2 font-medium">
                    {name(l)}
                    {l.source !== 'crm' && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{l.source}</span>}
                    {l.deletedInCrm && (
                      <span className="ml-2 rounded bg-rose-50 px-1.5 py-0.5 text-xs text-rose-700" data-testid="deleted-in-crm"
                        title="The HubSpot record was deleted there; the lead stays in the app and the sync no longer sends its edits">
                        Deleted in HubSpot — edits stay in the app
                      </span>
                    )}
                    {l.pendingPush && (
                      <span className="ml-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-700" title="Changed in the app: sent to HubSpot with the next sync">
                        waiting to sync
                      </span>
                    )}
                    <div>
                      <LeadDialog lead={{ id: l.id, email: l.email, phone: l.phone && shownPhone(l.phone, phoneCountry.country).text, firstName: l.firstName, lastName: l.lastName, jobTitle: l.jobTitle,
                        companyName: l.ownCompanyName, lifecycleStage: l.lifecycleStage, leadStatus: l.leadStatus }}
                        crmProperties={l.crmProperties} phoneCountry={phoneCountry} options={options} deletedInCrm={l.deletedInCrm}
                        linkedCompany={l.companyName !== l.ownCompanyName ? l.companyName : null} />
                    </div>
                  </td>
                  <td className="px-4 py-2 text-slate-600">
                    {l.email ?? (l.phone ? null : '—')}
                    {l.phone && <Phone stored={l.phone} country={phoneCountry.country} />}
                  </td>
                  <td className="px-4 py-2">
                    {l.companyName ?? '—'}
                    {/* The contact's own company name, where it differs from the company it is linked to (an edit to it shows here). */}
                    {l.ownCompanyName && l.companyName !== l.ownCompanyName && (
                      <div className="text-xs text-slate-500" title="The contact's own company name (HubSpot's company property)">{l.ownCompanyName}</div>
                    )}
                  </td>
                  <td className="px-4 py-2">
                    {l.ownerName ?? '—'}
                    {l.ownerEmail && <div className="text-xs text-slate-500">{l.ownerEmail}</div>}
                  </td>
                  <td className="px-4 py-2" title={l.lifecycleStage ?? undefined}>{optionLabel('lifecycleStage', l.lifecycleStage, options) ?? '—'}</td>
                  <td className="px-4 py-2" title={l.leadStatus ?? undefined}>{optionLabel('leadStatus', l.leadStatus, options) ?? '—'}</td>
                  <td className="px-4 py-2 text-slate-600">{l.lastActivityAt ? timeAgo(l.lastActivityAt) : '—'}</td>
                  <td className="px-4 py-2 text-slate-600">{timeAgo(l.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {paging && (
        <nav aria-label="Leads pages" className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm text-slate-600">
          <span data-testid="lead-range">{paging.range}</span>
          <span className="flex gap-3">
            {paging.newer && <a href={leadsHref({ ...query, page: paging.newer })} className="text-sky-700 hover:underline">← Newer</a>}
            {paging.older && <a href={leadsHref({ ...query, page: paging.older })} className="text-sky-700 hover:underline">Older →</a>}
          </span>
        </nav>
      )}
    </section>
  )
}
