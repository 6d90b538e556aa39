'use client'
import { useRouter } from 'next/navigation'
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import type { ConnectionStatusView } from '@/lib/crm/status'

// The dashboard's one poller of /api/crm/status: every 30 s, every second while a run is
// going (or was just asked for). When a run ends the server components re-render, so
// leads, history and conflicts follow.

export interface StatusPayload {
  connections: ConnectionStatusView[]
  leads: number
  running: boolean
}

interface Live {
  status: StatusPayload
  /** Poll fast for a while (a sync was just started here). */
  goLive(): void
  refresh(): Promise<void>
}

const LiveContext = createContext<Live | null>(null)

export function useLiveStatus(): Live {
  const live = useContext(LiveContext)
  if (!live) throw new Error('useLiveStatus outside <LiveStatusProvider>')
  return live
}

export function LiveStatusProvider({ initial, startLive = false, children }: { initial: StatusPayload; startLive?: boolean; children: ReactNode }) {
  const router = useRouter()
  const [status, setStatus] = useState(initial)
  // Just connected: the initial sync starts after the redirect, so watch closely at first.
  const [liveUntil, setLiveUntil] = useState(() => (startLive ? Date.now() + 20_000 : 0))
  const wasRunning = useRef(initial.running)
  const lastLeads = useRef(initial.leads)

  const poll = useCallback(async () => {
    const res = await fetch('/api/crm/status', { cache: 'no-store' }).catch(() => null)
    if (!res?.ok) return
    const next = (await res.json()) as StatusPayload
    setStatus(next)
    // A run ended, or records arrived while one is going: re-render the server parts.
    if ((wasRunning.current && !next.running) || next.leads !== lastLeads.current) router.refresh()
    wasRunning.current = next.running
    lastLeads.current = next.leads
  }, [router])

  /** Poll now and re-render the server parts (after a sync this page started). */
  const refresh = useCallback(async () => {
    await poll()
    router.refresh()
  }, [poll, router])

  useEffect(() => setStatus(initial), [initial])

  // A sync that stopped without finishing too: its lease's countdown, and Refresh CRM back once it lapses.
  const fast = status.running || status.connections.some((c) => c.stoppedSync !== null) || Date.now() < liveUntil
  useEffect(() => {
    const timer = setInterval(() => void poll(), fast ? 1000 : 30_000)
    return () => clearInterval(timer)
  }, [fast, poll])

  const goLive = useCallback(() => setLiveUntil(Date.now() + 15_000), [])
  return <LiveContext.Provider value={{ status, goLive, refresh }}>{children}</LiveContext.Provider>
}
