import { dismissConflictsOf, upsertConflicts, type DismissReason } from '../../store/conflicts'
import { deleteLink, loadLinksByRemote, mergeFieldHashes, repointLink, type Link } from '../../store/links'
import { carryCompany, carryDealContacts, dealsListingContact, followMergedRecord, rememberMergedAway, repointCompanyEntries, repointPendingRefs } from '../../store/merges'
import { openConflictFields } from '../../store/open-conflicts'
import { dropPendingEntries, enqueuePush, hasPendingDelete, pendingColumns } from '../../store/outbox'
import { archiveRecords, linkArrived, linkArrivedDealContacts, loadLocalRecords, removeDealContact } from '../../store/records'
import type { Db } from '../../store/db'
import { contactsBase, contactsEntry } from '../deal-contacts'
import type { Fields, RemoteRecord } from '../types'
import type { PageContext } from './apply-page'
import { latest } from './plan'
import { carriedCompany, carriedContactsBase, carriedEdits, combineCarried, heldOnSurvivor, identityOnSurvivor, isEmpty, type CarriedEdits } from './merge-edits'

// The surviving record lists the merged-away ids in hs_merged_object_ids and has their
// associations. For contacts and companies HubSpot now makes the survivor a new record with a
// new id, both old ids merged away (tests/sync/merges-new-id.test.ts); deals (and contacts and
// companies before that change) merge into the primary, which keeps its id.
// https://developers.hubspot.com/docs/api/crm/contacts#merge
// https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
//
// A local record linked to a merged-away id follows the survivor, unless the survivor is
// already linked: then the duplicate local record is archived (unless it is a manual lead,
// which a sync never archives), and what the app pointed at it with (a contact's or deal's
// company, a deal's contacts) moves to the survivor's, and the app's edits to it not pushed
// yet are carried to the survivor's (see merge-edits.ts), fields that waited for a person in
// its open conflict staying held there. A local record the app deleted (or archived) never
// follows the survivor: its delete would archive the record that absorbed it. Whether
// HubSpot also touches those contacts' and deals' last-modified dates, so that the pull would
// bring the new association, is UNVERIFIED: this does not wait for it. Links that remember
// the merged-away id, and references still waiting for it, move to the survivor's id too.

type Kind = 'company' | 'contact'
const KIND: Partial<Record<PageContext['type'], Kind>> = { company: 'company', contact: 'contact' }

/**
 * Follows the page's merges. Returns, per survivor's local id, the unpushed edits carried to
 * it from a merged-away local record, for the page's planner to weigh.
 */
export async function applyMerges(ctx: PageContext, tx: Db, records: RemoteRecord[]): Promise<Map<string, CarriedEdits>> {
  const carried = new Map<string, CarriedEdits>()
  const merged = records.filter((r) => r.mergedRemoteIds?.length)
  if (merged.length === 0) return carried
  const ids = merged.flatMap((r) => [r.remoteId, ...(r.mergedRemoteIds ?? [])])
  const links = await loadLinksByRemote(tx, ctx.connectionId, ctx.type, ids)
  await lockMoved(ctx, tx, merged, links)
  const kind = KIND[ctx.type]
  const pairs = merged.flatMap((r) => (r.mergedRemoteIds ?? []).map((gone) => ({ from: gone, to: r.remoteId })))
  // Never imported again, however a stale read brings them back (see skipMergedAway).
  await rememberMergedAway(tx, ctx.tenantId, ctx.connectionId, ctx.type, pairs)
  if (ctx.mergedAway) {
    const known = await ctx.mergedAway
    for (const p of pairs) known.add(p.from)
  }
  const waited = kind ? await repointPendingRefs(tx, ctx.connectionId, kind, pairs) : new Set<string>()
  for (const r of merged) {
    for (const gone of r.mergedRemoteIds ?? []) {
      const old = links.get(gone)
      // hs_merged_object_ids keeps every merge ever made: only one not followed yet has
      // a link, or references waiting for the merged-away id, left to move.
      const waiting = waited.has(gone)
      if (!old && !waiting) continue
      if (old) {
        let deleted: DismissReason | undefined
        const survivor = links.get(r.remoteId)
        if (survivor) {
          const edits = await carryEdits(ctx, tx, old, survivor, r)
          if (edits) carried.set(survivor.localId, combineCarried(carried.get(survivor.localId), edits))
          // What its entries would send is on the survivor now, or, for a manual lead the sync
          // keeps, would make HubSpot a new record for the person it just merged.
          await dropPendingEntries(tx, ctx.connectionId, ctx.type, old.localId)
          // Its conflict's question (the app's value or HubSpot's?) is the survivor's now: the
          // app's side was carried above, and the planner asks again on the survivor where
          // HubSpot's value there changed too. Left open, it would wait on a record that no
          // longer syncs (a kept manual lead is never even archived) for a decision that
          // could only go nowhere.
          await dismissConflictsOf(tx, ctx.connectionId, ctx.type, [old.localId], 'merged')
          await deleteLink(tx, ctx.connectionId, ctx.type, gone)
          // A manual lead is never archived by a sync: it stays the app's own, with what points at it.
          const archived = await archiveRecords(tx, ctx.tenantId, ctx.type, [old.localId])
          if (archived > 0) await followMergedRecord(tx, ctx.tenantId, ctx.type, old.localId, survivor.localId)
          ctx.counts.archived += archived
        } else if ((deleted = await deletedInApp(ctx, tx, old.localId))) {
          // The app deleted its copy, and the push has not sent that yet (a sync pulls first):
          // following the survivor would send the delete to it, and archive in HubSpot the
          // record that absorbed the copy, which the app never had. As when the push sent it
          // before the merge was seen (push-outbox.ts): the local delete stands, the link goes,
          // the id is remembered as merged away (above), and the delete is not sent.
          await dropPendingEntries(tx, ctx.connectionId, ctx.type, old.localId)
          await dismissConflictsOf(tx, ctx.connectionId, ctx.type, [old.localId], deleted)
          await deleteLink(tx, ctx.connectionId, ctx.type, gone)
        } else {
          await repointLink(tx, ctx.connectionId, ctx.type, gone, r.remoteId)
          links.set(r.remoteId, old)
        }
        links.delete(gone)
      }
      if (kind) await repointEntries(ctx, tx, kind, gone, r.remoteId)
      // Records that waited for the merged-away one get the survivor, if the app has it
      // (otherwise they are linked when it is written, as it arrives).
      if (waiting && links.has(r.remoteId)) {
        if (kind === 'company') await linkArrived(tx, ctx.tenantId, ctx.connectionId, 'company', [r.remoteId])
        else await linkArrivedDealContacts(tx, ctx.tenantId, ctx.connectionId, [r.remoteId])
      }
    }
  }
  return carried
}

/**
 * Locks the rows of the local records the page's merges move edits from and to (each linked
 * merged-away record and its survivor), in id order, before any of them is read. Read
 * without the lock, an app edit of the merged-away record committed between carryEdits' read
 * and its archive was neither carried nor sent: lost with no word (and a delete committed
 * after deletedInApp's read sent to the survivor). The app's write now either commits before
 * the reads, and is carried, or waits until the page commits. The page holds the records'
 * open conflicts already and takes links after, so the order stays conflict → row → link
 * (see decideConflict in lib/crm/review.ts); the rows the planner writes are locked later,
 * these among them again.
 */
async function lockMoved(ctx: PageContext, tx: Db, merged: RemoteRecord[], links: Map<string, Link>): Promise<void> {
  const localOf = (remoteId: string) => (links.has(remoteId) ? [links.get(remoteId)!.localId] : [])
  const ids = merged.flatMap((r) => {
    const gone = (r.mergedRemoteIds ?? []).flatMap(localOf)
    return gone.length ? [...gone, ...localOf(r.remoteId)] : []
  })
  await loadLocalRecords(tx, ctx.tenantId, ctx.connectionId, ctx.type, [...new Set(ids)], { lock: true })
}

/** Whether the app deleted or archived a local record (or its delete waits in the outbox): how, as its conflict's dismissal says it. */
async function deletedInApp(ctx: PageContext, tx: Db, localId: string): Promise<'local_deleted' | 'local_archived' | undefined> {
  const local = (await loadLocalRecords(tx, ctx.tenantId, ctx.connectionId, ctx.type, [localId])).get(localId)
  if (!local || await hasPendingDelete(tx, ctx.connectionId, ctx.type, localId)) return 'local_deleted'
  return local.archivedAt ? 'local_archived' : undefined
}

/**
 * The merged-away local record's unpushed edits, carried to the survivor's: its fields, for
 * the planner to weigh (returned), and its company and (a deal's) contacts, written here and
 * queued for the push. Nothing when either record is gone or archived.
 */
async function carryEdits(ctx: PageContext, tx: Db, gone: Link, survivor: Link, survivorRemote: RemoteRecord): Promise<CarriedEdits | undefined> {
  const locals = await loadLocalRecords(tx, ctx.tenantId, ctx.connectionId, ctx.type, [gone.localId, survivor.localId])
  const [from, to] = [locals.get(gone.localId), locals.get(survivor.localId)]
  if (!from || !to || from.archivedAt || to.archivedAt) return undefined
  const edits = carriedEdits(ctx.type, { ...from, base: gone.fieldHashes }, { ...to, base: survivor.fieldHashes }, survivorRemote.fields)
  await holdOnSurvivor(ctx, tx, gone, survivor, survivorRemote, to.fields, edits)
  const pending = ctx.type === 'company' ? new Map<string, Set<string>>() : await pendingColumns(tx, ctx.connectionId, ctx.type, [from.id, to.id])
  if (ctx.type !== 'company' && from.companyId !== to.companyId) {
    const company = carriedCompany(
      { companyId: from.companyId, pending: !!pending.get(from.id)?.has('company_id'), updatedAt: from.updatedAt, entry: gone.fieldHashes['@company'] },
      { companyId: to.companyId, pending: !!pending.get(to.id)?.has('company_id'), updatedAt: to.updatedAt, entry: survivor.fieldHashes['@company'] },
      survivorRemote.associations?.companyRemoteId)
    if (company) {
      await carryCompany(tx, ctx.tenantId, ctx.type, to.id, company.companyId)
      await enqueuePush(tx, ctx.tenantId, ctx.connectionId, ctx.type, [{ localId: to.id, columns: ['company_id'] }])
      if (company.base !== undefined) edits.base['@company'] = company.base
    }
  }
  if (ctx.type === 'deal' && pending.get(from.id)?.has('contacts')) {
    // The app added contacts to the merged-away deal or took some off, and HubSpot moved that
    // deal's contacts (as they were) to the survivor: the survivor lists both deals' contacts
    // as the app has them, and its push settles that with HubSpot's list (a three-way merge
    // from both deals' lists as last synced), so the additions go on, the removals come off,
    // and a rep's own changes to the survivor stand.
    await carryDealContacts(tx, ctx.tenantId, from.id, to.id)
    await enqueuePush(tx, ctx.tenantId, ctx.connectionId, 'deal', [{ localId: to.id, columns: ['contacts'] }])
    const base = carriedContactsBase(gone.fieldHashes['@contacts'], survivor.fieldHashes['@contacts'])
    if (base !== undefined) edits.base['@contacts'] = base
  }
  return isEmpty(edits) ? undefined : edits
}

/**
 * Fields of the merged-away record's open conflict, carried to the survivor, that HubSpot
 * changed there too (see heldOnSurvivor), and carried identity fields that would replace the
 * survivor's own (see identityOnSurvivor): a conflict on the survivor holds them, the app's
 * value against the survivor's, beside any the survivor waits on already. The planner then
 * finds them held, as any open conflict's, and keeps the app's value locally without sending
 * it, whatever the strategy now is: a person decides.
 */
async function holdOnSurvivor(ctx: PageContext, tx: Db, gone: Link, survivor: Link, survivorRemote: RemoteRecord,
  survivorLocal: Fields, edits: CarriedEdits): Promise<void> {
  const held = await openConflictFields(tx, ctx.connectionId, ctx.type, [gone.localId, survivor.localId])
  const goneHeld = held.get(gone.localId) ?? new Set<string>()
  const fields = [...new Set([
    ...heldOnSurvivor(ctx.type, edits, goneHeld, survivor.fieldHashes, survivorRemote.fields),
    ...identityOnSurvivor(ctx.type, edits, survivorRemote.fields),
  ])]
  if (fields.length === 0) return
  const own = held.get(survivor.localId) ?? new Set<string>()
  const local = { ...survivorLocal }
  for (const f of fields) local[f] = edits.fields[f].value
  await upsertConflicts(tx, ctx.tenantId, ctx.connectionId, ctx.type, [{
    localId: survivor.localId, remoteId: survivorRemote.remoteId, fields: [...new Set([...own, ...fields])], local, remote: survivorRemote.fields,
    localAt: latest(fields.map((f) => edits.fields[f].at)),
    remoteAt: latest(fields.map((f) => survivorRemote.fieldUpdatedAt?.[f] ?? survivorRemote.updatedAt)),
  }])
}

/** Links that remember `gone` (a contact's or deal's company; a deal's contacts) remember `survivor` instead. */
async function repointEntries(ctx: PageContext, tx: Db, kind: Kind, gone: string, survivor: string): Promise<void> {
  if (kind === 'company') return repointCompanyEntries(tx, ctx.connectionId, gone, survivor)
  await editDealsListing(ctx, tx, gone, (list) => list.add(survivor))
}

/**
 * The deals whose link's '@contacts' list names contact `remoteId`: that id leaves the list,
 * `then` edits it further, and the list is written back. Returns those deals' local ids.
 */
async function editDealsListing(ctx: PageContext, tx: Db, remoteId: string, then: (list: Set<string>) => void = () => {}): Promise<string[]> {
  const edited: string[] = []
  for (const deal of await dealsListingContact(tx, ctx.connectionId, remoteId)) {
    const list = contactsBase(deal.entry)
    if (!list) continue
    list.delete(remoteId)
    then(list)
    await mergeFieldHashes(tx, ctx.connectionId, 'deal', deal.localId, { '@contacts': contactsEntry(list) })
    edited.push(deal.localId)
  }
  return edited
}

/**
 * Contacts the CRM deleted leave the deals that listed them: each such deal's '@contacts'
 * entry and its deal_contacts row (written as the sync: nothing is pushed). Only links
 * archived just now: deletions are rare, and each is one scan of the deals' links.
 */
export async function dropDeletedContactsFromDeals(ctx: PageContext, tx: Db, gone: Array<{ localId: string; remoteId: string }>): Promise<void> {
  for (const contact of gone) {
    for (const dealId of await editDealsListing(ctx, tx, contact.remoteId)) await removeDealContact(tx, dealId, contact.localId)
  }
}
