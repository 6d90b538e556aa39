import { STOPPED_AFTER_SECONDS } from '../crm/busy'
import { isStopped } from '../crm/stopped'
import { SYNC_OBJECT_TYPES, type SyncObjectType } from '../crm/types'
import type { Db } from './db'
import { INTERRUPTED_ERROR, INTERRUPTED_TAG, type RunStatus } from './runs'

// Read models for the dashboard and /api/crm/status. Nothing here selects credentials.

export interface LatestRun {
  objectType: SyncObjectType
  trigger: string
  status: RunStatus
  startedAt: Date
  finishedAt: Date | null
  durationMs: number | null
  fetched: number
  created: number
  updated: number
  unchanged: number
  archived: number
  failed: number
  pushed: number
  conflicts: number
  error: string | null
}

/** Ids of each object type's last sync run (any trigger but webhook). */
function lastSyncRunIds(db: Db, tenantId: string, connectionId: string) {
  return db`
    select r.id from unnest(${[...SYNC_OBJECT_TYPES]}::text[]) as t(object_type)
     cross join lateral (
       select id from sync_runs
        where connection_id = ${connectionId} and object_type = t.object_type and trigger <> 'webhook' and tenant_id = ${tenantId}
        order by started_at desc, id desc limit 1) r`
}

// A run still marked running whose connection's lease has lapsed, or is held but has not
// been renewed for STOPPED_AFTER_SECONDS (busy.ts's leaseStopped, the rule Refresh CRM's 409
// says "stopped without finishing" by), belongs to a process that ended mid-run: shown as
// what closeInterruptedRuns (runs.ts) will make it, not as running, until the next run or the
// cron closes it. Only shown: a lease that is merely stale is not taken from its holder, and
// should the holder renew it after all, its rows show running again. A lease taken before
// renewals were recorded (renewed_at null) counts as live until it lapses.
const interrupted = (db: Db) =>
  db`(r.status = 'running' and not exists (
        select 1 from crm_connections c
         where c.id = r.connection_id and c.sync_lease_until > now()
           and (c.sync_lease_renewed_at is null or c.sync_lease_renewed_at > now() - make_interval(secs => ${STOPPED_AFTER_SECONDS}))))`

/** Per object type, its last sync (any trigger but webhook: those are summed by realtimeActivity). */
export async function latestRunsByType(db: Db, tenantId: string, connectionId: string): Promise<LatestRun[]> {
  const rows = await db`
    select object_type, trigger, started_at, finished_at, duration_ms,
           fetched, created, updated, unchanged, archived, failed, pushed, conflicts,
           case when ${interrupted(db)} then 'failed' else r.status end as status,
           case when ${interrupted(db)} then ${INTERRUPTED_ERROR} else r.error end as error
      from sync_runs r where id in (${lastSyncRunIds(db, tenantId, connectionId)})`
  return rows.map((r) => ({
    objectType: r.object_type, trigger: r.trigger, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
    durationMs: r.duration_ms, fetched: r.fetched, created: r.created, updated: r.updated, unchanged: r.unchanged,
    archived: r.archived, failed: r.failed, pushed: r.pushed, conflicts: r.conflicts, error: r.error,
  }))
}

export interface RealtimeActivity {
  objectType: SyncObjectType
  /** Records created, updated or archived by webhook applies in the window. */
  applied: number
  /** Records a webhook apply failed that are still not applied (see realtimeActivity). */
  failed: number
  lastAt: Date
  /**
   * The latest apply's error (its run's error, else the first record or batch it could not
   * write), while records are still failing or when it says the drain stopped early.
   */
  error: string | null
  /** The latest apply's outcome. */
  lastStatus: RunStatus
}

/**
 * Per object type, what webhook applies did in the last `hours` (types with none are left out).
 *
 * `failed` counts what is still failing, not what failed once: the records of the type
 *  - whose webhook events failed to apply and still wait (unprocessed, with the error of
 *    their last attempt: for the next drain, or after MAX_WEBHOOK_ATTEMPTS for a person's
 *    Retry), however long ago; and
 *  - that a webhook apply in the window could not write and that still wait in
 *    sync_retries to be read again (a record leaves it once any pull or apply writes it).
 * Each record once. A day's tally of failed applies said "1 failed", in red, for up to a day
 * after a later drain had applied the event, and counted the same event once per drain
 * that tried it.
 */
export async function realtimeActivity(db: Db, tenantId: string, connectionId: string, hours = 24): Promise<RealtimeActivity[]> {
  const rows = await db`
    with runs as (
      select * from sync_runs
       where connection_id = ${connectionId} and trigger = 'webhook' and tenant_id = ${tenantId}
         and started_at > now() - make_interval(hours => ${hours})
    ), failing as (
      select object_type, object_id as remote_id from webhook_events
       where connection_id = ${connectionId} and tenant_id = ${tenantId} and processed_at is null and error is not null
         and object_type is not null and object_id is not null
      union
      select s.object_type, s.remote_id from sync_retries s
       where s.connection_id = ${connectionId} and s.tenant_id = ${tenantId}
         and exists (select 1 from runs r where r.object_type = s.object_type
                                            and r.errors @> jsonb_build_array(jsonb_build_object('remoteId', s.remote_id)))
    )
    select r.object_type, r.applied, r.last_at, r.error, r.last_status,
           (select count(*)::int from failing f where f.object_type = r.object_type) as failed
      from (select object_type, sum(created + updated + archived)::int as applied,
                   max(coalesce(finished_at, started_at)) as last_at,
                   -- A batch that failed whole leaves its reason in errors, not error (the run went on).
                   (array_agg(coalesce(error, case when failed > 0 or status = 'failed' then errors->0->>'message' end)
                              order by started_at desc, id desc))[1] as error,
                   (array_agg(status order by started_at desc, id desc))[1] as last_status
              from runs group by object_type) r`
  return rows.map((r) => ({
    objectType: r.object_type, applied: r.applied, failed: r.failed, lastAt: r.last_at, lastStatus: r.last_status,
    // Nothing still failing: an old apply's error would say something is broken when nothing is.
    error: r.error !== null && (r.failed > 0 || isStopped(r.error)) ? r.error : null,
  }))
}

export interface SyncProblem {
  objectType: SyncObjectType
  /** pull: a CRM record that could not be written here; push: a local change the CRM refused. */
  direction: 'pull' | 'push'
  /** The record's email or name where it is here, else its id (the CRM's for a pull). */
  record: string
  message: string
  at: Date
  /**
   * A change the CRM refused, or a CRM record kept to be read again: attempts so far, and
   * when the next is due (null or past: the next sync). Unset for a run's error alone.
   */
  attempts?: number
  nextAttemptAt?: Date | null
}

/**
 * The records still failing, newest first: the CRM records waiting to be read again (however
 * long ago they first failed; a record leaves that list once any pull or webhook apply writes
 * it), the webhook batches from since yesterday whose events still wait to be applied, and the
 * local changes still waiting in the outbox after the CRM refused them. A run's own record
 * errors are not listed: a record it could not write is in sync_retries while it fails, and
 * one gone from there was applied since (it had said "failed" after it went in).
 */
export async function syncProblems(db: Db, tenantId: string, connectionId: string, limit = 20): Promise<SyncProblem[]> {
  const pulls = await db`
    select r.object_type, coalesce(r.finished_at, r.started_at) as at, e->>'message' as message
      from sync_runs r
     cross join lateral jsonb_array_elements(r.errors) with ordinality as x(e, n)
     where r.connection_id = ${connectionId} and r.trigger = 'webhook' and r.tenant_id = ${tenantId}
       -- Runs written before whole-batch failures were counted have failed = 0 but their errors.
       and (r.failed > 0 or r.status = 'failed' or jsonb_array_length(r.errors) > 0)
       and r.started_at > now() - interval '24 hours'
       and not e ? 'remoteId' and not e ? 'localId'
       -- A webhook batch that failed whole: listed while its events wait to be applied, not
       -- once a later drain (or a person's retry) has applied them; each drain that tried them
       -- again failed the same way, so only the latest of those is listed.
       and exists (select 1 from webhook_events w where w.connection_id = ${connectionId} and w.processed_at is null
                                                    and w.error = left(e->>'message', 1000))
       and not exists (select 1 from sync_runs n where n.connection_id = ${connectionId} and n.trigger = 'webhook'
                          and n.object_type = r.object_type and (n.started_at, n.id) > (r.started_at, r.id)
                          and n.errors @> jsonb_build_array(jsonb_build_object('message', e->>'message')))
     order by coalesce(r.finished_at, r.started_at) desc, r.id desc, x.n limit ${limit}`
  const retries = await withRecordNames(db, db`
    select s.object_type, s.error as message, s.attempts, s.next_attempt_at, s.last_failed_at as at, s.remote_id, l.local_id,
           row_number() over (order by s.last_failed_at desc, s.remote_id) as seq
      from sync_retries s
      left join crm_links l on l.connection_id = s.connection_id and l.object_type = s.object_type and l.remote_id = s.remote_id
     where s.connection_id = ${connectionId} and s.tenant_id = ${tenantId}
     order by seq limit ${limit}`)
  // One line per record: a record's changes may wait as several outbox entries, all refused alike.
  const pushes = await withRecordNames(db, db`
    select f.*, row_number() over (order by f.id desc) as seq
      from (select distinct on (o.object_type, o.local_id) o.id, o.object_type, o.last_error as message, o.attempts, o.next_attempt_at,
                   o.created_at as at, o.local_id
              from crm_outbox o
             where o.connection_id = ${connectionId} and o.tenant_id = ${tenantId} and o.last_error is not null
             order by o.object_type, o.local_id, o.id desc) f
     order by seq limit ${limit}`)
  const out: SyncProblem[] = [
    // A webhook batch that failed whole: its events could not be applied, and still wait.
    ...pulls.map((r) => ({ objectType: r.object_type, direction: 'pull' as const, message: r.message, at: r.at, record: 'a batch of webhook events' })),
    ...retries.map((r) => ({ objectType: r.object_type, direction: 'pull' as const, record: r.name ?? r.remote_id, message: r.message, at: r.at,
      attempts: r.attempts, nextAttemptAt: r.next_attempt_at })),
    ...pushes.map((r) => ({ objectType: r.object_type, direction: 'push' as const, record: r.name ?? r.local_id, message: r.message, at: r.at,
      attempts: r.attempts, nextAttemptAt: r.next_attempt_at })),
  ]
  return out.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit)
}

/**
 * `rows` (with object_type, local_id and an ordering seq) with each record's name where the
 * app has it: a contact's email or full name, a company's or deal's name; in seq order.
 */
function withRecordNames(db: Db, rows: ReturnType<Db>) {
  return db`
    select p.*, coalesce(c.email, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), co.name, d.name) as name
      from (${rows}) p
      left join contacts c on p.object_type = 'contact' and c.id = p.local_id
      left join companies co on p.object_type = 'company' and co.id = p.local_id
      left join deals d on p.object_type = 'deal' and d.id = p.local_id
     order by p.seq`
}

export interface ConnectionHealth {
  openConflicts: number
  outboxPending: number
  outboxFailed: number
}

export async function connectionHealth(db: Db, tenantId: string, connectionId: string): Promise<ConnectionHealth> {
  const [r] = await db`
    select (select count(*)::int from sync_conflicts where tenant_id = ${tenantId} and connection_id = ${connectionId} and status = 'open') as open_conflicts,
      (select count(*)::int from crm_outbox where tenant_id = ${tenantId} and connection_id = ${connectionId}) as outbox_pending,
      -- Records, not entries: a record's changes may wait as several entries, all refused alike.
      (select count(distinct (object_type, local_id))::int from crm_outbox
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and last_error is not null) as outbox_failed`
  return { openConflicts: r.open_conflicts, outboxPending: r.outbox_pending, outboxFailed: r.outbox_failed }
}

export interface RunGroupPoint {
  runGroup: string
  trigger: string
  startedAt: Date
  durationMs: number
  records: number
  status: RunStatus
  /**
   * A run of the group stopped mid-way because its process ended (a crash, a kill -9, a
   * restart): closed as interrupted, or still marked running by a process that is gone (see
   * `interrupted`). Its status is failed (or partial beside types that finished), not running.
   */
  interrupted: boolean
}

/** One point per sync run (all object types of a run together; webhook applies are not syncs), oldest first. */
export async function runHistory(db: Db, tenantId: string, connectionId: string, limit = 30): Promise<RunGroupPoint[]> {
  const rows = await db`
    select run_group, min(trigger) as trigger, min(started_at) as started_at,
           coalesce(sum(duration_ms), 0)::int as duration_ms,
           sum(created + updated + archived + pushed)::int as records,
           case when bool_or(status = 'running') then 'running' when bool_and(status = 'success') then 'success'
                when bool_and(status = 'failed') then 'failed' else 'partial' end as status,
           bool_or(status = 'failed' and starts_with(error, ${INTERRUPTED_TAG})) as interrupted
      from (select r.run_group, r.trigger, r.started_at, r.duration_ms, r.created, r.updated, r.archived, r.pushed,
                   case when ${interrupted(db)} then 'failed' else r.status end as status,
                   case when ${interrupted(db)} then ${INTERRUPTED_ERROR} else r.error end as error
              from sync_runs r where r.tenant_id = ${tenantId} and r.connection_id = ${connectionId} and r.trigger <> 'webhook') r
     group by run_group order by min(started_at) desc limit ${limit}`
  return rows.reverse().map((r) => ({
    runGroup: r.run_group, trigger: r.trigger, startedAt: r.started_at, durationMs: r.duration_ms, records: r.records, status: r.status,
    interrupted: r.interrupted,
  }))
}

export interface LeadRow {
  id: string
  email: string | null
  phone: string | null
  firstName: string | null
  lastName: string | null
  jobTitle: string | null
  /** The associated company's name, else the contact's own company field. */
  companyName: string | null
  /** The contact's own company field (what a person edits). */
  ownCompanyName: string | null
  ownerName: string | null
  ownerEmail: string | null
  lifecycleStage: string | null
  leadStatus: string | null
  lastActivityAt: Date | null
  source: string
  updatedAt: Date
  /** A change made in the app is waiting for the next sync to take it to the CRM. */
  pendingPush: boolean
  /**
   * HubSpot deleted the record this lead was linked to, and the lead stays (a manual lead is
   * never deleted by the sync): its link is archived, so the sync sends its edits nowhere.
   * Said in the list, or the lead looks like any other and a person's edits vanish unseen.
   */
  deletedInCrm: boolean
  /** The extra CRM properties the connection reads (settings.extraProperties), by internal name; non-empty values only. */
  crmProperties: Record<string, string>
}

/** `ilike` pattern matching `text` anywhere, with its own % _ and \\ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export interface LeadsQuery {
  /** Matched anywhere in the email, the name or the company's name, case-insensitively. */
  search?: string
  limit?: number
  offset?: number
}

/** Live contacts, most recently changed first, with their CRM metadata. */
export async function recentLeads(db: Db, tenantId: string, q: LeadsQuery = {}): Promise<LeadRow[]> {
  const rows = await db`
    select c.id, c.email, c.phone, c.first_name, c.last_name, c.job_title, coalesce(co.name, c.company_name) as company_name,
           c.company_name as own_company_name,
           nullif(trim(concat_ws(' ', o.first_name, o.last_name)), '') as owner_name, c.owner_email,
           c.lifecycle_stage, c.lead_status, c.last_activity_at, c.source, c.updated_at, c.crm_properties,
           exists (select 1 from crm_outbox ob join crm_connections cc on cc.id = ob.connection_id
                    where ob.local_id = c.id and ob.object_type = 'contact' and ob.tenant_id = c.tenant_id
                      -- A disconnected connection's outbox waits for a reconnect: not on its way either.
                      and cc.status <> 'disconnected'
                      -- A held change (a company change while companies are off) is not on its way.
                      and not private.outbox_held(ob.op, ob.changed_fields, cc.settings)
                      -- Nor one for a record HubSpot deleted: the push drops it (see planPush).
                      and not exists (select 1 from crm_links l where l.connection_id = ob.connection_id and l.object_type = 'contact'
                                                                  and l.local_id = c.id and l.archived_at is not null)) as pending_push,
           -- Deleted in HubSpot, on a connection still in use. A record has one link per connection
           -- (unique), found from the tenant's connections by that index.
           exists (select 1 from crm_connections cc join crm_links l on l.connection_id = cc.id and l.object_type = 'contact' and l.local_id = c.id
                    where cc.tenant_id = c.tenant_id and cc.status <> 'disconnected' and l.archived_at is not null) as deleted_in_crm
      -- The tenant on each join too: a row written past the app (Supabase's Data API) could name another workspace's id.
      from contacts c left join companies co on co.id = c.company_id and co.tenant_id = c.tenant_id
                      left join owners o on o.id = c.owner_id and o.tenant_id = c.tenant_id
     where c.tenant_id = ${tenantId} and c.archived_at is null ${leadMatch(db, tenantId, q.search)}
     order by c.updated_at desc, c.id limit ${q.limit ?? 25} offset ${q.offset ?? 0}`
  return rows.map((r) => ({
    id: r.id, email: r.email, phone: r.phone, firstName: r.first_name, lastName: r.last_name, jobTitle: r.job_title,
    companyName: r.company_name, ownCompanyName: r.own_company_name,
    ownerName: r.owner_name, ownerEmail: r.owner_email, lifecycleStage: r.lifecycle_stage, leadStatus: r.lead_status,
    lastActivityAt: r.last_activity_at, source: r.source, updatedAt: r.updated_at, pendingPush: r.pending_push, deletedInCrm: r.deleted_in_crm,
    crmProperties: r.crm_properties ?? {},
  }))
}

export interface LiveLeadCounts {
  /**
   * The tenant's live contacts, read from the count the database keeps as contacts are written
   * (migration 20261202162000) where a count(*) read every contact (0.4–0.6 s at 1,000,000).
   * Exact, as a count.
   */
  leads: number
  /**
   * How many statements have changed the tenant's live contacts (inserted, edited, archived,
   * restored, deleted outright; by any path, owner_email alone included), or renamed a company
   * or an owner that one of them names (the name the table shows, 20261203130000), counted by
   * the database as they commit (migration 20261203110000): the poller's cue that the leads table
   * shows something else. It grows with every such commit, also one from a transaction that
   * began long before (a newest-updated_at cue missed those, deleted rows and owner_email), and
   * stays put while nothing is written: the cron's fold keeps it.
   */
  changes: number
}

/**
 * The leads' count and their changes, both sums over the tenant's rows of
 * private.live_contact_counts (folded into one by the hourly cron, foldLiveContactCounts): one
 * statement, so the two are read together, from one snapshot, where the page read the same
 * rows twice. Only reads: a page render writes nothing.
 */
export async function liveLeadCounts(db: Db, tenantId: string): Promise<LiveLeadCounts> {
  const [r] = await db`select coalesce(sum(n), 0)::int as leads, coalesce(sum(changes), 0)::float8 as changes
                         from private.live_contact_counts where tenant_id = ${tenantId}`
  return { leads: r.leads, changes: r.changes }
}

/** How far a search's count goes by default: past it the dashboard says "10,000+". */
export const SEARCH_COUNT_CAP = 10_000

export interface LeadMatches {
  /** The live contacts the search matches, counted no further than `upTo`. */
  n: number
  /** More match than that (n is then `upTo`). */
  more: boolean
}

/**
 * The live contacts a search matches, counted up to `upTo` (the page asks for at least as
 * far as it reaches, so its paging knows whether an older page follows). An exact count of a
 * common match tested every contact: a search with no three letters or digits in a row
 * ('ab', '42') has no trigram index to narrow it (hasTrigram), and its count read all
 * 1,000,000 while the page itself stopped at its 25 newest.
 * The limit stops the scan once `upTo` + 1 are found: 'ab' (95,455 of 1,000,000) 814 → 139 ms
 * on Postgres 15, 2,222 → 218 ms on PGlite (bench/dashboard-search.ts). A short search that
 * matches few still reads every contact, as its page does; on a server it does so without
 * parallel workers (a limit makes the planner expect to stop early), the same CPU as before.
 */
export async function countMatchingLeads(db: Db, tenantId: string, search: string, upTo = SEARCH_COUNT_CAP): Promise<LeadMatches> {
  const [r] = await db`
    select count(*)::int as n from (
      select from contacts c left join companies co on co.id = c.company_id and co.tenant_id = c.tenant_id
       where c.tenant_id = ${tenantId} and c.archived_at is null ${leadMatch(db, tenantId, search)}
       limit ${upTo + 1}) m`
  return r.n > upTo ? { n: upTo, more: true } : { n: r.n, more: false }
}

/**
 * The contact's email, name and own company field joined by spaces: a text found in any of
 * them is found in it. Exactly the expression of the trigram index contacts_search_idx
 * (migration 20261202160000), which answers `ilike '%…%'` on it; written otherwise, the
 * planner cannot use the index.
 */
const searchText = (db: Db) =>
  db`(coalesce(c.email, '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.company_name, ''))`

/**
 * pg_trgm finds a pattern by its words' three-letter pieces: a search with no three letters
 * or digits in a row ('ab', 'a b') gives the index nothing to look up, and the prefilter
 * would only cost (a whole-index scan, or a test of every row against every matching
 * company: 3.9 → 17.7 s for 'ab' at 1,000,000 on Postgres 15). Such a search is tested as
 * before. https://www.postgresql.org/docs/15/pgtrgm.html#PGTRGM-INDEX
 */
const hasTrigram = (search: string) => /[\p{L}\p{N}]{3}/u.test(search)

function leadMatch(db: Db, tenantId: string, search: string | undefined) {
  if (!search) return db``
  const p = containsPattern(search)
  const exact = db`and (c.email ilike ${p} or concat_ws(' ', c.first_name, c.last_name) ilike ${p}
                        or coalesce(co.name, c.company_name) ilike ${p})`
  if (!hasTrigram(search)) return exact
  // The first test finds the candidates by index (the trigram indexes on the contact's text
  // and on companies.name, and the contacts of the matching companies by company_id); it
  // also lets through a text matched across two fields, or in a contact's own company field
  // while it has an associated company (whose name is shown instead). The second is the
  // exact test, and decides.
  return db`and (${searchText(db)} ilike ${p}
                 or c.company_id = any (array(select x.id from companies x where x.tenant_id = ${tenantId} and x.name ilike ${p})))
            ${exact}`
}
