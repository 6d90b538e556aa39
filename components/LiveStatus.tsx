'use client'
import { useRouter } from 'next/navigation'
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import { pollDelay, realtimeOnAny, shouldRefresh, type LiveMark, type StatusPayload } from '@/lib/crm/live-changes'

// The dashboard's one poller of /api/crm/status: every 30 s, every 5 s while real-time is on,
// every second while a run is going (or was just asked for), not at all while the page is
// hidden (pollDelay). When a run ends, or the status's `changes` moved (a webhook
// apply, a conflict it opened, a record that now fails: lib/crm/live-changes.ts), the server
// components re-render, so leads, history and conflicts follow. An idle poll re-renders nothing.

export type { StatusPayload }

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
  const last = useRef<LiveMark>(initial)

  const poll = useCallback(async () => {
    const res = await fetch('/api/crm/status', { cache: 'no-store' }).catch(() => null)
    if (!res?.ok) return
    const next = (await res.json()) as StatusPayload
    setStatus(next)
    if (shouldRefresh(last.current, next)) router.refresh()
    last.current = next
  }, [router])

  /** Poll now and re-render the server parts (after a sync this page started). */
  const refresh = useCallback(async () => {
    await poll()
    router.refresh()
  }, [poll, router])

  // A re-render's own status: what the server parts now show.
  useEffect(() => {
    setStatus(initial)
    last.current = initial
  }, [initial])

  // A sync that stopped without finishing too: its lease's countdown, and Refresh CRM back once it lapses.
  const fast = status.running || status.connections.some((c) => c.stoppedSync !== null) || Date.now() < liveUntil
  const realtime = realtimeOnAny(status)
  const [hidden, setHidden] = useState(false)
  useEffect(() => {
    const seen = () => {
      setHidden(document.hidden)
      // Shown again after a while away: catch up at once rather than at the next tick.
      if (!document.hidden) void poll()
    }
    setHidden(document.hidden)
    document.addEventListener('visibilitychange', seen)
    return () => document.removeEventListener('visibilitychange', seen)
  }, [poll])
  useEffect(() => {
    const delay = pollDelay({ fast, hidden, realtime })
    if (delay === null) return
    const timer = setInterval(() => void poll(), delay)
    return () => clearInterval(timer)
  }, [fast, hidden, realtime, poll])

  const goLive = useCallback(() => setLiveUntil(Date.now() + 15_000), [])
  return <LiveContext.Provider value={{ status, goLive, refresh }}>{children}</LiveContext.Provider>
}
