import { ConnectCrmButton } from './ConnectCrmButton'
import { disconnectedBody, disconnectedHeading } from './disconnected-text'

/** Where EmptyState stood, when the workspace's only connections were disconnected: nothing was lost. */
export function DisconnectedState({ portals, oauth, nango }: { portals: readonly string[]; oauth: boolean; nango: boolean }) {
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center sm:p-10" data-testid="disconnected-state">
      <h2 className="text-2xl font-semibold">{disconnectedHeading(portals)}</h2>
      <p className="mx-auto mt-3 max-w-xl text-slate-600">{disconnectedBody(portals)}</p>
      <div className="mt-6 inline-block">
        <ConnectCrmButton oauth={oauth} nango={nango} />
      </div>
    </section>
  )
}
