'use client'
import { postJson } from './format'
import { usePostThenRefresh } from './use-post-then-refresh'

/**
 * Disconnects the connection after a confirm. Disabled from the click until the refreshed
 * page no longer shows the connection: a second click meanwhile (the POST takes about a
 * second) posted again and said "No such connection".
 */
export function DisconnectButton({ connectionId }: { connectionId: string }) {
  const [pending, run] = usePostThenRefresh()
  const disconnect = () => {
    if (!window.confirm('Disconnect this CRM? Synced records stay; syncing stops and its token is deleted.')) return
    run(() => postJson('/api/crm/disconnect', { connectionId }))
  }
  return (
    <button type="button" disabled={pending} onClick={disconnect} data-testid="disconnect"
      className="text-xs text-slate-500 hover:text-rose-600 hover:underline disabled:text-slate-400 disabled:no-underline">
      {pending ? 'Disconnecting…' : 'Disconnect'}
    </button>
  )
}
