import { loadLinksByRemote, type LinkWrite } from '../../store/links'
import { loadLocalAssociations, type LocalAssociations } from '../../store/local-associations'
import type { CrmAdapter } from '../adapters/types'
import { contactsBase, contactsEntry, mergeContacts, sameContacts } from '../deal-contacts'
import { referenceEntry, referencedId } from '../reference-entry'
import type { PageContext } from '../pull/apply-page'
import { associationProbes } from '../types'

type Pair = { fromId: string; toId: string }

/** What to send for one record just pushed: all of it (created), or the associations the app changed. */
export type AssociationPush = { localId: string } & ({ created: true } | { created?: false; company: boolean; contacts: boolean })

/**
 * Sends the CRM the associations the app's tables hold for records just pushed (a
 * contact's company, a deal's company and contacts), and records them in the links'
 * field hashes as '@company' / '@contacts' — the entries the pull planner compares — so
 * they come back as part of our echo. Associating twice is harmless, so a retry after a
 * crash simply does it again. A new company becomes the primary and the one it replaced
 * comes off (HubSpot would keep it associated, unlabelled).
 *
 * A deal whose contacts the app edited is settled by a three-way merge with the CRM's list
 * as it is now and the list both sides had at the last sync (see mergeContacts): the app's
 * additions go in, its removals come off, and whatever a rep added or removed since stands.
 * Only contacts linked on this connection are ever removed: one the app has not seen yet is
 * the rep's to keep. The link then remembers the app's list, so if the rep's edits left
 * the CRM with another one, the next pull of the deal brings that list in.
 */
export async function pushAssociations(ctx: PageContext, adapter: CrmAdapter, links: Map<string, LinkWrite>, records: AssociationPush[]): Promise<void> {
  const { type } = ctx
  // With companies off, a record's company is the app's own (see PageContext): a record
  // just created in the CRM has none there, which its link remembers, so the app's company
  // is what changed when it goes out later.
  if (!ctx.companies && type !== 'company') {
    for (const r of records) if (r.created && links.has(r.localId)) links.get(r.localId)!.fieldHashes['@company'] = referenceEntry(null)
  }
  const sendCompany = ctx.companies && type !== 'company' ? records.filter((r) => r.created || r.company) : []
  const sendContacts = type === 'deal' ? records.filter((r) => r.created || r.contacts) : []
  if (sendCompany.length === 0 && sendContacts.length === 0) return
  const assoc = await loadLocalAssociations(ctx.sql, ctx.tenantId, ctx.connectionId, type, [...new Set([...sendCompany, ...sendContacts].map((r) => r.localId))])
  const edits = await settleDealContacts(ctx, adapter, links, assoc, sendContacts.filter((r) => !r.created).map((r) => r.localId))

  const companyPairs: Pair[] = []
  const companyRemovals: Pair[] = []
  for (const { localId } of sendCompany) {
    const link = links.get(localId)
    const a = assoc.get(localId)
    if (!link || !a) continue
    if (a.companyRemoteId) companyPairs.push({ fromId: link.remoteId, toId: a.companyRemoteId })
    // The app took the company off or moved the record to another: the one the link
    // remembers comes off in the CRM too. Taken off, the next pull would see it still there
    // and bring it back; moved, HubSpot would keep it associated, unlabelled, beside the new
    // primary. (A link from before the id was kept remembers only a hash, and nothing can be
    // taken off for it.) It comes off after the new one goes on, so the record is never
    // left without a company in between.
    const previous = referencedId(link.fieldHashes['@company'])
    if (previous && previous !== a.companyRemoteId) companyRemovals.push({ fromId: link.remoteId, toId: previous })
  }
  const contactPairs: Pair[] = []
  const removals: Pair[] = []
  for (const { localId } of sendContacts) {
    const link = links.get(localId)
    const a = assoc.get(localId)
    if (!link || !a) continue
    const edit = edits.get(localId)
    for (const contact of edit ? edit.add : a.contactRemoteIds ?? []) contactPairs.push({ fromId: link.remoteId, toId: contact })
    for (const contact of edit?.remove ?? []) removals.push({ fromId: link.remoteId, toId: contact })
  }
  if (companyPairs.length) await adapter.associateBatch(type, 'company', companyPairs)
  if (companyRemovals.length) await adapter.dissociateBatch(type, 'company', companyRemovals)
  if (contactPairs.length) await adapter.associateBatch('deal', 'contact', contactPairs)
  if (removals.length) await adapter.dissociateBatch('deal', 'contact', removals)

  for (const { localId } of sendCompany) {
    const link = links.get(localId)
    if (link && assoc.has(localId)) link.fieldHashes['@company'] = referenceEntry(assoc.get(localId)!.companyRemoteId)
  }
  for (const { localId } of sendContacts) {
    const link = links.get(localId)
    const ids = assoc.get(localId)?.contactRemoteIds
    if (link && ids) link.fieldHashes['@contacts'] = contactsEntry(ids)
  }
}

/** For deals whose contacts the app edited: the CRM's list now, merged with the app's; what to add and take off. */
async function settleDealContacts(ctx: PageContext, adapter: CrmAdapter, links: Map<string, LinkWrite>,
  assoc: Map<string, LocalAssociations>, localIds: string[]): Promise<Map<string, { add: string[]; remove: string[] }>> {
  const out = new Map<string, { add: string[]; remove: string[] }>()
  const deals = localIds.flatMap((localId) => {
    const link = links.get(localId)
    return link && assoc.has(localId) ? [{ localId, link }] : []
  })
  if (deals.length === 0) return out
  const probes = associationProbes(deals.map((d) => d.link.remoteId))
  // https://developers.hubspot.com/docs/api/crm/associations (read through the adapter)
  await adapter.loadAssociations('deal', probes)
  const inCrm = probes.map((p) => p.associations?.contactRemoteIds ?? [])
  const known = await loadLinksByRemote(ctx.sql, ctx.connectionId, 'contact', [...new Set(inCrm.flat())])
  deals.forEach(({ localId, link }, i) => {
    const now = inCrm[i]
    // The link still holds the entry of the last sync here (this push has not replaced it).
    // A link from before lists were kept has a hash: if it matches, the CRM's list is the base.
    const stored = link.fieldHashes['@contacts']
    const base = contactsBase(stored) ?? (sameContacts(stored, now) ? new Set(now) : null)
    const merged = mergeContacts(assoc.get(localId)!.contactRemoteIds ?? [], now, base)
    const current = new Set(now)
    out.set(localId, {
      add: [...merged].filter((id) => !current.has(id)),
      remove: now.filter((id) => !merged.has(id) && known.has(id) && !known.get(id)!.archivedAt),
    })
  })
  return out
}
