'use client'
import { useRouter } from 'next/navigation'
import { postJson } from './format'

export function DisconnectButton({ connectionId }: { connectionId: string }) {
  const router = useRouter()
  const run = async () => {
    if (!window.confirm('Disconnect this CRM? Synced records stay; syncing stops and its token is deleted.')) return
    await postJson('/api/crm/disconnect', { connectionId }).catch((e: unknown) => window.alert(e instanceof Error ? e.message : String(e)))
    router.refresh()
  }
  return (
    <button type="button" onClick={() => void run()} className="text-xs text-slate-500 hover:text-rose-600 hover:underline">
      Disconnect
    </button>
  )
}
