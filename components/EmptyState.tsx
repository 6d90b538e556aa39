export function EmptyState() {
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
      <h1 className="text-2xl font-semibold">No CRM connected yet</h1>
      <p className="mx-auto mt-3 max-w-xl text-slate-600">
        Connect HubSpot to start syncing contacts, companies, deals and owners into your database.
        Running locally? The sandbox HubSpot started by <code>npm run dev</code> is ready to connect.
      </p>
    </section>
  )
}
