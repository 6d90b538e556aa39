import { v7 as uuidv7 } from 'uuid'
import type { CountryCode } from 'libphonenumber-js'
import { env } from '../../env'
import { lockedSettings, type Connection } from '../../store/connections'
import { columnOfField } from '../../store/columns'
import { dismissConflictsOf, lockOpenConflictsOf, upsertConflicts, type ConflictWrite } from '../../store/conflicts'
import { syncWriterSettings, type Db, type Sql, type Tx } from '../../store/db'
import { archiveLinks, loadLinksByRemote, markPulled, unlinkedLocalIds, upsertLinks } from '../../store/links'
import { noteKeptCompanies } from '../../store/kept-companies'
import { mergedAwayIds } from '../../store/merges'
import { openConflictFields } from '../../store/open-conflicts'
import { dropOverwrittenEdits, enqueuePush } from '../../store/outbox'
import { clearRetries, recordFailedPulls } from '../../store/retries'
import { archiveRecords, dealsWithUnpushedContacts, findContactCandidates, linkArrived, linkArrivedDealContacts, loadLocalRecords, upsertRecords, writeDealContacts, type LocalRecord } from '../../store/records'
import { addCounts, addRunCounts, emptyCounts, type RecordError, type RunCounts } from '../../store/runs'
import type { ConflictConfig } from '../conflicts/config'
import { pulledDealContacts } from '../deal-contacts'
import { matchIdentities, type IdentityDecision, type LocalCandidate } from '../identity'
import { normalizeFields } from '../normalize'
import { parseSettings, type ConnectionSettings } from '../settings'
import type { ObjectType, RemoteRecord } from '../types'
import { applyMerges, dropDeletedContactsFromDeals } from './merges'
import type { CarriedEdits } from './merge-edits'
import { planPage, type RecordPlan } from './plan'

export interface PageContext {
  sql: Sql
  tenantId: string
  connectionId: string
  type: ObjectType
  conflicts: ConflictConfig
  defaultCountry: CountryCode
  dryRun: boolean
  counts: RunCounts
  errors: RecordError[]
  /**
   * The sync_runs row the counts go to: each page adds its counts to it in the page's own
   * transaction (addRunCounts), so the row never lags or leads what is committed (a run's
   * pages and a webhook drain's batches alike). Unset (a dry run): nothing is written.
   */
  runId?: number
  /** Time during which a page transaction was open (the database stage), for the benchmark. */
  timing?: StageTiming
  /**
   * Whether records' companies sync (companies are on). Off, the pull still reads and
   * remembers a record's company, and the reference waits in crm_pending_refs, so turning
   * companies on links it when the company arrives; meanwhile the app's own company stands,
   * and the push holds the app's changes to it in the outbox until companies are on.
   */
  companies: boolean
  /** The connection's extra properties for this type, which every read of it asks for. */
  extraProperties: readonly string[]
  /** CRM ids of this type merged into others (crm_merged_away), read once per context: see skipMergedAway. */
  mergedAway?: Promise<Set<string>>
  /**
   * The connection is HubSpot → app only: the app's edits wait in its outbox, held, for when
   * it is two-way again, and one the pull overwrites with the CRM's value is dropped there.
   */
  pullOnly?: boolean
}

/** The context every entry point (a run, a webhook apply) gives the page pipeline. */
export function pageContext(sql: Sql, connection: Pick<Connection, 'tenantId' | 'id'>, settings: ConnectionSettings, type: ObjectType,
  run: Pick<PageContext, 'counts' | 'errors'> & Partial<Pick<PageContext, 'dryRun' | 'timing' | 'runId'>>): PageContext {
  return {
    sql, tenantId: connection.tenantId, connectionId: connection.id, type, conflicts: settings.conflicts,
    defaultCountry: (settings.defaultCountry ?? env().SYNC_DEFAULT_PHONE_COUNTRY) as CountryCode,
    dryRun: run.dryRun ?? false, counts: run.counts, errors: run.errors, timing: run.timing, runId: run.runId,
    companies: settings.entities.company, extraProperties: settings.extraProperties[type], pullOnly: settings.direction === 'pull',
  }
}

/** Wall time covered by at least one open page transaction (two may overlap in a full sync). */
export interface StageTiming {
  dbMs: number
  open?: number
  since?: number
}

function enterStage(t: StageTiming | undefined): void {
  if (t && (t.open = (t.open ?? 0) + 1) === 1) t.since = performance.now()
}

function leaveStage(t: StageTiming | undefined): void {
  if (t && (t.open = (t.open ?? 1) - 1) === 0) t.dbMs += performance.now() - (t.since ?? 0)
}

/** For a caller with batches still being written: what those batches have taken. */
export interface InFlight {
  /** Local records claimed by batches not yet committed: no other batch may claim them. */
  claimed: ReadonlySet<string>
  /** Called once this batch has decided which existing local records it takes. */
  onPlanned: (claimedLocalIds: string[]) => void
}

// A candidate taken by a batch still in flight is as good as linked: the sequential
// outcome (it was linked by the earlier batch, so this record is not matched to it).
const IN_FLIGHT = '(claimed by a batch in flight)'

/**
 * Marks this transaction's writes as the sync's own, so the outbox trigger skips them.
 * It also commits without waiting for the WAL flush: the cursor is written in the same
 * transaction, so if the database loses the last commits in a crash it loses the cursor
 * with them, and the next run simply fetches those records again. Atomic, re-derivable
 * from the CRM, and not worth an fsync per batch.
 */
export async function asSyncWriter(tx: Db): Promise<void> {
  await tx`select ${syncWriterSettings(tx)}`
}

/**
 * One page, one transaction: normalize, match, plan, write records + links + conflicts +
 * push requests, then `commit` (the caller's cursor advance) — all or nothing, so a run
 * killed at any point resumes from the last committed page.
 */
export async function applyPage(ctx: PageContext, records: RemoteRecord[], commit: (tx: Db) => Promise<void>): Promise<void> {
  await applyNormalizedPage(ctx, normalizeRecords(ctx, records), commit)
}

/** Canonical fields (E.164 phones, lower-case emails, …): pure, so it can run ahead of the writer. */
export function normalizeRecords(ctx: Pick<PageContext, 'type' | 'defaultCountry'>, records: RemoteRecord[]): RemoteRecord[] {
  return records.map((r) => ({ ...r, fields: normalizeFields(ctx.type, r.fields, { defaultCountry: ctx.defaultCountry }) }))
}

/** `applyPage` for records already through `normalizeRecords`. */
export async function applyNormalizedPage(ctx: PageContext, normalized: RemoteRecord[], commit: (tx: Db) => Promise<void>, inFlight?: InFlight): Promise<void> {
  if (ctx.dryRun) {
    ctx.counts.fetched += normalized.length
    count(ctx, await plan(ctx, ctx.sql, await skipMergedAway(ctx, ctx.sql, normalized), inFlight))
    return
  }
  // The page counts on its own (two pages may be in flight at once, see pullFull) and its
  // counts reach the run, in memory and in its row, only with its commit.
  const page: PageContext = { ...ctx, counts: { ...emptyCounts(), fetched: normalized.length } }
  enterStage(ctx.timing)
  try {
    await ctx.sql.begin(async (tx) => {
      // As the sync writer (asSyncWriter), and, before any read of the links, holding the
      // page's open conflicts: a decision on one of them is then wholly before the page's
      // reads or wholly after its writes (see lockOpenConflictsOf). The merged-away ids
      // too: applyMerges dismisses their records' conflicts. The rows it writes back are
      // locked after these (plan), the order a decision takes them in.
      await lockOpenConflictsOf(tx, ctx.connectionId, ctx.type, normalized.flatMap((r) => [r.remoteId, ...(r.mergedRemoteIds ?? [])]), { asSyncWriter: true })
      const carried = await applyMerges(page, tx, normalized)
      const plans = await plan(page, tx, await skipMergedAway(page, tx, normalized), inFlight, carried)
      const kept = await writePlans(page, tx, plans)
      await commit(tx)
      // Last, the rows every page writes (the connection's companies flag, the run's counts):
      // their row locks are held only until the commit just after, and only once commit() has
      // returned, where a full sync's batch waits for the batch before it (pull/full.ts). A
      // later batch holding one of them while it waits there would hang the two, unseen by
      // Postgres: the earlier batch waiting for the row, the later for the earlier in code (it
      // did with the flag raised among the writes: tests/sync/full-sync-kept-companies.test.ts).
      if (kept) await noteKeptCompanies(tx, ctx.connectionId)
      if (page.runId !== undefined) await addRunCounts(tx, page.runId, page.counts)
    })
    addCounts(ctx.counts, page.counts)
  } finally {
    ctx.mergedAway ??= page.mergedAway
    leaveStage(ctx.timing)
  }
}

/**
 * Leaves out records whose id the CRM merged into another (counted as skipped): HubSpot's
 * search can return a merged-away record as it was for a while after the merge, and the
 * merge has already been followed, so planning it would import it again as a duplicate.
 */
async function skipMergedAway(ctx: PageContext, db: Db, records: RemoteRecord[]): Promise<RemoteRecord[]> {
  // Read on the page's own transaction: the embedded database serves one transaction at a time.
  const gone = await (ctx.mergedAway ??= mergedAwayIds(db, ctx.connectionId, ctx.type))
  if (gone.size === 0) return records
  const live = records.filter((r) => !gone.has(r.remoteId))
  ctx.counts.skipped += records.length - live.length
  return live
}

async function plan(ctx: PageContext, db: Db, records: RemoteRecord[], inFlight?: InFlight, carried?: Map<string, CarriedEdits>): Promise<RecordPlan[]> {
  const links = await loadLinksByRemote(db, ctx.connectionId, ctx.type, records.map((r) => r.remoteId))
  const decisions = await identify(ctx, db, records, links, inFlight?.claimed)
  const localIds = decisions.flatMap((d) => (d.kind === 'create' ? [] : [d.localId]))
  inFlight?.onPlanned(localIds)
  const locals = await loadLocalRecords(db, ctx.tenantId, ctx.connectionId, ctx.type, localIds)
  const held = await openConflictFields(db, ctx.connectionId, ctx.type, [...locals.keys()])
  const input = { type: ctx.type, records, links, decisions, locals, held, conflicts: ctx.conflicts, newId: newLocalId, carried }
  if (ctx.dryRun) return planPage(input)
  const locked = new Set<string>()
  let strategyRead = false
  for (;;) {
    const plans = planPage(input)
    // The rows this page writes back whole, locked and read again: an app write committed
    // since the read above would otherwise be written over with the value read before it, its
    // edit lost (and nothing left for the push to send). Where a row moved, the page is planned
    // again on it as it is now (the app's edit weighed like any: kept, or a conflict); an app
    // write after this waits for the page's commit and lands on top. Only the rows written are
    // locked: a page of unchanged records writes none of them.
    const toLock = plans.flatMap((p) => (p.write && p.kind !== 'create' && !locked.has(p.localId!) ? [p.localId!] : []))
    const now = await loadLocalRecords(db, ctx.tenantId, ctx.connectionId, ctx.type, toLock, { lock: true })
    for (const id of toLock) locked.add(id)
    const moved = toLock.filter((id) => !sameRecord(locals.get(id), now.get(id)))
    for (const id of moved) {
      const row = now.get(id)
      if (row) locals.set(id, row)
      else locals.delete(id)
    }
    if (moved.length) continue
    // A conflict to open is weighed with the strategy as it is now, not as the run read it
    // when it began: a save of an automatic strategy since then has decided the conflicts open
    // at the time (decide-open-conflicts.ts), and one opened after that would wait for a person
    // no one means to ask. The read locks the connection's row (lockedSettings), so a save
    // under way is waited for, and one begun after waits for this page's commit and then finds
    // its conflicts open (once the conflict is inserted its foreign key would hold the save
    // too, but a save committed between this plan and that insert found nothing to decide).
    // Only pages with a new conflict pay for it (not a backfill's); one a record has open
    // already is the page's, locked, and waits for the save's decision pass.
    // The other way round too: a conflict the run's automatic strategy would settle is weighed
    // with the strategy now, so once a user has saved manual review no conflict found after is
    // settled for them; it opens for a person (those settled by pages committed before the
    // save stay settled: a save waits for a page that read the strategy before it). Only pages
    // that settle a conflict pay: a backfill's records are new, and settle none (a record
    // matched by email to an app lead that differs from it is settled by the strategy: its
    // page pays one read, as a page opening a conflict does).
    if (!strategyRead && plans.some((p) => (p.conflict && !held.has(p.localId!)) || p.settled)) {
      strategyRead = true
      const current = parseSettings(await lockedSettings(db, ctx.connectionId)).conflicts
      if (JSON.stringify(current) !== JSON.stringify(input.conflicts)) {
        input.conflicts = current
        continue
      }
    }
    return plans
  }
}

/** Whether a row read twice holds the same (fields, company, extra properties, archived, updated_at). */
function sameRecord(a: LocalRecord | undefined, b: LocalRecord | undefined): boolean {
  if (!a || !b) return a === b
  return a.updatedAt.getTime() === b.updatedAt.getTime() && (a.archivedAt?.getTime() ?? null) === (b.archivedAt?.getTime() ?? null)
    && a.companyId === b.companyId && JSON.stringify(a.fields) === JSON.stringify(b.fields) && JSON.stringify(a.extra ?? {}) === JSON.stringify(b.extra ?? {})
}

// Time-ordered ids (UUIDv7) for the records a pull creates: a backfill then appends to the
// primary key and the link's local-id index instead of touching a random page of each per
// row (measured: 100,000 inserts into a contacts-shaped table, 1.71 s → 1.39 s).
const newLocalId = () => uuidv7()

async function identify(ctx: PageContext, db: Db, records: RemoteRecord[], links: Map<string, { localId: string }>,
  claimedElsewhere: ReadonlySet<string> = new Set()): Promise<IdentityDecision[]> {
  const linksByRemoteId = new Map([...links].map(([remote, l]) => [remote, l.localId]))
  // A record we created carries our local id: if the commit that should have linked it
  // never happened (a crash after the CRM's ack), it is linked now instead of imported twice.
  const stamped = records.filter((r) => r.originLocalId && !links.has(r.remoteId))
  if (stamped.length) {
    const free = await unlinkedLocalIds(db, ctx.tenantId, ctx.connectionId, ctx.type, stamped.map((r) => r.originLocalId!))
    for (const r of stamped) {
      if (free.has(r.originLocalId!) && !claimedElsewhere.has(r.originLocalId!)) linksByRemoteId.set(r.remoteId, r.originLocalId!)
    }
  }
  const byEmail = new Map<string, LocalCandidate[]>()
  const byPhone = new Map<string, LocalCandidate[]>()
  const unlinked = records.filter((r) => !linksByRemoteId.has(r.remoteId))
  if (ctx.type === 'contact' && unlinked.length) {
    const emails = unlinked.flatMap((r) => (r.fields.email ? [r.fields.email] : []))
    const phones = unlinked.flatMap((r) => (r.fields.phone ? [r.fields.phone] : []))
    for (const c of await findContactCandidates(db, ctx.tenantId, ctx.connectionId, emails, phones)) {
      const linkedRemoteId = c.linkedRemoteId ?? (claimedElsewhere.has(c.localId) ? IN_FLIGHT : null)
      const cand: LocalCandidate = { localId: c.localId, linkedRemoteId, source: c.source, email: c.email }
      if (c.email) push(byEmail, c.email.toLowerCase(), cand)
      if (c.phone) push(byPhone, c.phone, cand)
    }
  }
  return matchIdentities(
    records.map((r) => ({ remoteId: r.remoteId, email: r.fields.email ?? null, phone: r.fields.phone ?? null })),
    { linksByRemoteId, candidatesByEmail: byEmail, candidatesByPhone: byPhone },
  )
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k)
  if (list) list.push(v)
  else m.set(k, [v])
}

/** Writes a page's plans; whether it kept the app's company beside the CRM's (companies off), to be noted once it commits. */
async function writePlans(ctx: PageContext, tx: Tx, plans: RecordPlan[]): Promise<boolean> {
  const writes = plans.filter((p) => p.write)
  const errorsBefore = ctx.errors.length
  try {
    await tx.savepoint((sp) => writeBatch(ctx, sp, writes))
  } catch {
    // One bad record must not sink the page: write them one by one, each in a savepoint.
    // The ones that fail are kept to be read again by the next run (the cursor moves on).
    const failed = ctx.errors.length
    for (const p of writes) {
      try {
        await tx.savepoint((sp) => writeBatch(ctx, sp, [p]))
      } catch (e) {
        // Nothing of it is recorded as synced: its link keeps the last state that went in.
        p.kind = 'orphan'
        p.write = undefined
        p.link = undefined
        ctx.counts.failed++
        ctx.errors.push({ remoteId: p.record.remoteId, message: e instanceof Error ? e.message : String(e) })
      }
    }
    await recordFailedPulls(tx, ctx.tenantId, ctx.connectionId, ctx.type, ctx.errors.slice(failed))
  }
  // A record kept to be read again that this page brought in (or found already in) is no
  // longer failing, whoever read it: a webhook apply or the search, not only the retry's
  // own read. Otherwise the dashboard listed it as failed, and counted it on the real-time
  // line, until its next retry came due (up to a day).
  const failedHere = new Set(ctx.errors.slice(errorsBefore).map((e) => e.remoteId))
  await clearRetries(tx, ctx.connectionId, ctx.type, plans.flatMap((p) => (failedHere.has(p.record.remoteId) ? [] : [p.record.remoteId])))
  // Records new to the app (created, or matched to one the app had): records read before
  // them that point at them get linked now.
  const arrived = plans.flatMap((p) => (p.write && p.link && p.link.matchReason !== 'link' ? [p.record.remoteId] : []))
  if (ctx.type === 'company') await linkArrived(tx, ctx.tenantId, ctx.connectionId, 'company', arrived)
  if (ctx.type === 'contact') await linkArrivedDealContacts(tx, ctx.tenantId, ctx.connectionId, arrived)
  // Same content, new bookkeeping (remote time, record hash): the link alone moves.
  await upsertLinks(tx, ctx.tenantId, ctx.connectionId, ctx.type, plans.flatMap((p) => (!p.write && p.link ? [p.link] : [])))
  // Held records are not written, but their conflict opens or takes the CRM's new values.
  await upsertConflicts(tx, ctx.tenantId, ctx.connectionId, ctx.type, conflictWrites(plans.filter((p) => p.kind === 'held')))
  // An echo seen once: the next identical pull is plainly unchanged.
  await markPulled(tx, ctx.connectionId, ctx.type, plans.flatMap((p) => (p.kind === 'echo' && !p.link ? [p.record.remoteId] : [])))
  count(ctx, plans)
  // Companies off: the app's company was kept beside the CRM's, to be settled once they are on.
  return !ctx.companies && ctx.type !== 'company' && writes.some((p) => p.write && p.record.associations?.companyRemoteId !== undefined)
}

async function writeBatch(ctx: PageContext, db: Db, plans: RecordPlan[]): Promise<void> {
  if (plans.length === 0) return
  const { tenantId, connectionId, type } = ctx
  await upsertRecords(db, tenantId, connectionId, type, plans.map((p) => ({
    // With companies off, or none read, the app's company stands (the CRM's waits, see PageContext).
    id: p.localId!, fields: p.write!, companyRemoteId: p.record.associations?.companyRemoteId ?? null,
    keepCompany: p.keepLocal?.company || !ctx.companies || p.record.associations?.companyRemoteId === undefined,
    createdAt: p.record.createdAt, extra: p.extra,
  })))
  await upsertLinks(db, tenantId, connectionId, type, plans.map((p) => p.link!))
  if (type === 'deal') {
    const deals = plans.flatMap((p) => (p.keepLocal?.contacts
      ? []
      : [{ dealId: p.localId!, remote: p.record.associations?.contactRemoteIds ?? [], base: p.contactsBase ?? null }]))
    const unpushed = await dealsWithUnpushedContacts(db, connectionId, deals.map((d) => d.dealId))
    await writeDealContacts(db, tenantId, connectionId, pulledDealContacts(deals, unpushed))
  }
  await upsertConflicts(db, tenantId, connectionId, type, conflictWrites(plans))
  const columnOf = (f: string) => columnOfField(type, f)
  await enqueuePush(db, tenantId, connectionId, type, plans.flatMap((p) => (p.toRemote
    ? [{ localId: p.localId!, columns: p.toRemote.map(columnOf) }]
    : [])))
  // Pull-only: the CRM's value written over an app edit is the contract (HubSpot → app), so
  // that edit is no longer the app's to send once the connection is two-way again. Nor is a
  // company the app changed where the CRM's, changed too, was written. (Two-way, the push
  // that follows finds nothing to send for them and acks them.)
  if (ctx.pullOnly) {
    await dropOverwrittenEdits(db, connectionId, type, plans.flatMap((p) => {
      const cols = (p.toLocal ?? []).map(columnOf)
      const crmCompany = type !== 'company' && ctx.companies && p.record.associations?.companyRemoteId !== undefined && !p.keepLocal?.company
      if (crmCompany) cols.push('company_id')
      return cols.length ? [{ localId: p.localId!, columns: cols }] : []
    }))
  }
}

function conflictWrites(plans: RecordPlan[]): ConflictWrite[] {
  return plans.flatMap((p) => (p.conflict
    ? [{ localId: p.localId!, remoteId: p.record.remoteId, fields: p.conflict.fields, local: p.conflict.local, remote: p.conflict.remote,
      localAt: p.conflict.localAt, remoteAt: p.conflict.remoteAt }]
    : []))
}

function count(ctx: PageContext, plans: RecordPlan[]): void {
  for (const p of plans) {
    if (p.kind === 'create') ctx.counts.created++
    else if (p.kind === 'update') ctx.counts.updated++
    // Held: only fields waiting in a conflict changed; the run's conflicts count says so.
    else if (p.kind === 'unchanged' || p.kind === 'held') ctx.counts.unchanged++
    else if (p.kind === 'echo') { ctx.counts.unchanged++; ctx.counts.echoesSuppressed++ }
    else if (p.kind === 'stale') ctx.counts.skipped++
    if (p.conflict) ctx.counts.conflicts++
  }
}

/**
 * Remote records deleted (archived) in the CRM: archive their links and CRM-born local
 * records. A deleted contact also leaves the deals that listed it: HubSpot drops a deleted
 * record's associations, and whether it touches those deals' last-modified date (so that a
 * pull of them would say so) is UNVERIFIED, so this does not wait for it.
 */
export async function applyArchived(ctx: PageContext, remoteIds: string[], commit: (tx: Db) => Promise<void>): Promise<void> {
  if (ctx.dryRun) return
  await ctx.sql.begin(async (tx) => {
    await asSyncWriter(tx)
    // Conflicts before links, as a decision takes them: a decision under way finishes first
    // (and this then dismisses nothing of it), or waits and finds its conflict dismissed.
    await lockOpenConflictsOf(tx, ctx.connectionId, ctx.type, remoteIds)
    const gone = await archiveLinks(tx, ctx.connectionId, ctx.type, remoteIds)
    // Neither side's value can be applied any more: the record's conflict goes with it.
    await dismissConflictsOf(tx, ctx.connectionId, ctx.type, gone.map((g) => g.localId), 'remote_archived')
    const archived = await archiveRecords(tx, ctx.tenantId, ctx.type, gone.map((g) => g.localId))
    if (ctx.type === 'contact') await dropDeletedContactsFromDeals(ctx, tx, gone)
    await commit(tx)
    if (ctx.runId !== undefined) await addRunCounts(tx, ctx.runId, { ...emptyCounts(), archived })
    return archived
  }).then((archived) => { ctx.counts.archived += archived })
}
