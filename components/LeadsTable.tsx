import type { LeadRow } from '@/lib/store/dashboard'
import { timeAgo } from './format'

const name = (l: LeadRow) => [l.firstName, l.lastName].filter(Boolean).join(' ') || '—'

/** The most recently changed contacts, with the CRM metadata a sales team looks for. */
export function LeadsTable({ leads, total }: { leads: LeadRow[]; total: number }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white" data-testid="leads">
      <header className="flex items-baseline justify-between border-b border-slate-200 px-4 py-3">
        <h2 className="font-semibold">Recent leads</h2>
        <span className="text-sm text-slate-500" data-testid="lead-count">{total} contacts</span>
      </header>
      {leads.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-500">No contacts yet — they appear here as soon as the first sync page lands.</p>
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
                    {l.source !== 'crm' && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-500">{l.source}</span>}
                  </td>
                  <td className="px-4 py-2 text-slate-600">{l.email ?? '—'}</td>
                  <td className="px-4 py-2">{l.companyName ?? '—'}</td>
                  <td className="px-4 py-2">
                    {l.ownerName ?? '—'}
                    {l.ownerEmail && <div className="text-xs text-slate-500">{l.ownerEmail}</div>}
                  </td>
                  <td className="px-4 py-2">{l.lifecycleStage ?? '—'}</td>
                  <td className="px-4 py-2">{l.leadStatus ?? '—'}</td>
                  <td className="px-4 py-2 text-slate-600">{l.lastActivityAt ? timeAgo(l.lastActivityAt) : '—'}</td>
                  <td className="px-4 py-2 text-slate-600">{timeAgo(l.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
