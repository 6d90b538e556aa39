import { PostButton } from './PostButton'

/** Turns real-time updates (HubSpot webhooks) on or off for a connection. */
export function WebhookToggle({ connectionId, enabled }: { connectionId: string; enabled: boolean }) {
  return (
    <PostButton path={`/api/v1/crm-integration/${connectionId}/${enabled ? 'disable' : 'enable'}-webhooks`} label={enabled ? 'Turn off' : 'Turn on'}
      testId="webhook-toggle" className="border-slate-300 text-slate-700 hover:bg-slate-50" />
  )
}
