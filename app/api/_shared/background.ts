import { after } from 'next/server'

// Work that continues after the response (the initial sync after connecting). Next's
// after() keeps the function alive on Vercel; outside a request scope (route tests call
// the handlers directly) the task simply runs, and tests can wait for it.
const pending = new Set<Promise<unknown>>()

export function inBackground(label: string, fn: () => Promise<unknown>): void {
  const task = () => fn().catch((e: unknown) => console.error(`[syncline] ${label} failed:`, e instanceof Error ? e.message : String(e)))
  try {
    after(task)
  } catch {
    const p = task().finally(() => pending.delete(p))
    pending.add(p)
  }
}

/** For tests: resolves when every background task started outside a request scope is done. */
export async function backgroundSettled(): Promise<void> {
  while (pending.size) await Promise.all([...pending])
}
