import { ConnectCrmButton } from './ConnectCrmButton'

export function EmptyState({ oauth, nango }: { oauth: boolean; nango: boolean }) {
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
      <h2 className="text-2xl font-semibold">No CRM connected yet</h2>
      <p className="mx-auto mt-3 max-w-xl text-slate-600">
        Connect HubSpot to start syncing contacts, companies, deals and owners into your database.
        Running locally? The sandbox HubSpot started by <code>npm run dev</code> is ready to connect.
      </p>
      <div className="mt-6 inline-block">
        <ConnectCrmButton oauth={oauth} nango={nango} />
      </div>
    </section>
  )
}
