import { ConnectCrmButton } from './ConnectCrmButton'

/** Shown when the CRM refused our token (revoked, expired, scopes removed). */
export function ReconnectPrompt({ reason, oauth, nango }: { reason: string | null; oauth: boolean; nango: boolean }) {
  return (
    <div role="alert" className="flex flex-col items-start gap-3 rounded-md sm:flex-row sm:items-center sm:justify-between sm:gap-4 border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <div>
        <p className="font-semibold">HubSpot needs you to reconnect</p>
        <p>Syncing is paused: {reason ?? 'the access token was revoked or expired'}. Reconnect to resume where it stopped.</p>
      </div>
      <ConnectCrmButton oauth={oauth} nango={nango} label="Reconnect" />
    </div>
  )
}
