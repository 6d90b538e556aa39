import { EmptyState } from '@/components/EmptyState'
import { listConnections } from '@/lib/store/connections'
import { getSql } from '@/lib/store/db'
import { currentTenantId } from '@/lib/tenant'

export const dynamic = 'force-dynamic'

export default async function DashboardPage() {
  const sql = await getSql()
  const connections = await listConnections(sql, await currentTenantId())
  if (connections.length === 0) return <EmptyState />
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Connections</h1>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {connections.map((c) => (
          <li key={c.id} className="flex items-center justify-between px-4 py-3">
            <span className="font-medium capitalize">{c.provider}</span>
            <span className="text-sm text-slate-500">portal {c.portalId ?? '—'} · {c.status}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
