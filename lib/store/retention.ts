import type { Db } from './db'

// What only history needs, deleted past its keep: runs written by webhook applies (one
// per apply, so thousands a day on a busy portal) and webhook events already applied
// (kept a while so a redelivery is recognised; HubSpot retries for at most a day). Syncs'
// own runs, unprocessed events and failed events are kept. Bounded per call: the hourly
// cron calls it and a backlog goes over a few hours instead of one long delete.

export const HISTORY_KEEP_DAYS = 7

export async function pruneHistory(db: Db, opts: { keepDays?: number; limit?: number } = {}): Promise<{ runs: number; events: number }> {
  const days = opts.keepDays ?? HISTORY_KEEP_DAYS
  const limit = opts.limit ?? 50_000
  const runs = await db`
    delete from sync_runs where id in (
      select id from sync_runs where trigger = 'webhook' and status <> 'running' and started_at < now() - make_interval(days => ${days}) limit ${limit})`
  const events = await db`
    delete from webhook_events where id in (
      select id from webhook_events where processed_at < now() - make_interval(days => ${days}) limit ${limit})`
  return { runs: runs.count, events: events.count }
}
