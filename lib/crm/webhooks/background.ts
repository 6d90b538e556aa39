import type { Sql } from '../../store/db'
import { processPendingWebhooks, type ProcessOptions } from './process'

// What runs after a delivery is answered. Deliveries arrive up to 10 at a time, so calls
// for one connection share a single drain in this process instead of each fighting for the
// lease; this is only a saving — correctness across instances comes from the lease, the
// processor's re-check after releasing it, and the cron. A sync holding the lease is waited
// out briefly, then left to that sync, which applies what waits when it ends. A drain stopped by its caller's time limit
// (ProcessOptions.signal) hands what is left to the callers still waiting on it, each with
// its own function's time.

const SETTLE_MS = 20 // lets a burst of deliveries land so one batch read covers them
const BUSY_RETRY_MS = [250, 1_000, 3_000]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const draining = new Map<string, { again: boolean; stopped: boolean; done: Promise<void> }>()

export function drainWebhooksSoon(sql: () => Promise<Sql>, connectionId: string, opts: ProcessOptions = {}): Promise<void> {
  const current = draining.get(connectionId)
  if (current) {
    current.again = true
    return current.done.then(() => (current.stopped && !opts.signal?.aborted ? drainWebhooksSoon(sql, connectionId, opts) : undefined))
  }
  const entry = { again: true, stopped: false, done: Promise.resolve() }
  draining.set(connectionId, entry)
  entry.done = (async () => {
    let busy = 0
    try {
      const db = await sql()
      while (entry.again) {
        entry.again = false
        await sleep(SETTLE_MS)
        const result = await processPendingWebhooks(db, connectionId, opts)
        if (result.stopped) {
          entry.stopped = true
          break
        }
        if (result.status === 'busy' && busy < BUSY_RETRY_MS.length) {
          await sleep(BUSY_RETRY_MS[busy++])
          entry.again = true
        }
      }
    } catch (e) {
      console.error('[syncline] webhook processing failed; the cron will retry', connectionId, e instanceof Error ? e.message : e)
    } finally {
      draining.delete(connectionId)
    }
  })()
  return entry.done
}
