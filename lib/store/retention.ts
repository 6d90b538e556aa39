import type { Db } from './db'
import { foldLiveContactCounts } from './live-contact-counts'

// What only history needs, deleted past its keep: runs written by webhook applies (one
// per apply, so thousands a day on a busy portal) and webhook events already applied
// (kept a while so a redelivery is recognised; HubSpot retries for at most a day). Syncs'
// own runs, unprocessed events and failed events are kept. And references waiting for a
// record that can no longer use them, and the outbox of a connection disconnected long ago. Bounded per call: the hourly cron calls it and a
// backlog goes over a few hours instead of one long delete. And the kept lead count's rows,
// folded per tenant (foldLiveContactCounts): a write no page render should make.

export const HISTORY_KEEP_DAYS = 7
/**
 * How long a disconnected connection's outbox is kept: the app's edits made while it was
 * disconnected, pushed if the same HubSpot account is connected again (saveConnection
 * revives it). Past this, an abandoned connection stops collecting every edit forever.
 */
export const DISCONNECTED_OUTBOX_KEEP_DAYS = 90

export async function pruneHistory(db: Db, opts: { keepDays?: number; limit?: number } = {}): Promise<{ runs: number; events: number; pendingRefs: number; outbox: number; leadCounts: number }> {
  const days = opts.keepDays ?? HISTORY_KEEP_DAYS
  const limit = opts.limit ?? 50_000
  const runs = await db`
    delete from sync_runs where id in (
      select id from sync_runs where trigger = 'webhook' and status <> 'running' and started_at < now() - make_interval(days => ${days}) limit ${limit})`
  const events = await db`
    delete from webhook_events where id in (
      select id from webhook_events where processed_at < now() - make_interval(days => ${days}) limit ${limit})`
  // Nothing updates a disconnected connection's row, so updated_at is when it was disconnected.
  const outbox = await db`
    delete from crm_outbox where id in (
      select o.id from crm_outbox o join crm_connections c on c.id = o.connection_id
       where c.status = 'disconnected' and c.updated_at < now() - make_interval(days => ${DISCONNECTED_OUTBOX_KEEP_DAYS}) limit ${limit})`
  return {
    runs: runs.count, events: events.count, pendingRefs: await prunePendingRefs(db, limit), outbox: outbox.count,
    leadCounts: await foldLiveContactCounts(db),
  }
}

/**
 * References waiting in crm_pending_refs (see linkArrived in records.ts) that nothing can
 * use any more: the waiting record is archived or unlinked, already has the reference, or
 * its link no longer names that id (the CRM gave it another company, owner or contact list
 * since). A reference whose target simply has not arrived is kept however old it is: a
 * paused connection's records arrive when it resumes.
 */
async function prunePendingRefs(db: Db, limit: number): Promise<number> {
  const rows = await db`
    delete from crm_pending_refs where (connection_id, kind, remote_id, object_type, local_id) in (
      select p.connection_id, p.kind, p.remote_id, p.object_type, p.local_id
        from crm_pending_refs p
        left join crm_links l on l.connection_id = p.connection_id and l.object_type = p.object_type and l.local_id = p.local_id
        left join contacts c on p.object_type = 'contact' and c.id = p.local_id
        left join deals d on p.object_type = 'deal' and d.id = p.local_id
        left join companies co on p.object_type = 'company' and co.id = p.local_id
       where l.local_id is null or l.archived_at is not null
          or coalesce(c.archived_at, d.archived_at, co.archived_at) is not null
          or case p.kind
               when 'company' then coalesce(c.company_id, d.company_id) is not null
                 or not private.entry_names(l.field_hashes, '@company', p.remote_id)
               when 'owner' then coalesce(c.owner_id, d.owner_id, co.owner_id) is not null
                 or not private.entry_names(l.field_hashes, 'ownerRemoteId', p.remote_id)
               else p.remote_id <> all(private.listed_contacts(l.field_hashes))
             end
       limit ${limit})`
  return rows.count
}
