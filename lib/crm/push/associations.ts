import { loadLinksByRemote, type LinkWrite } from '../../store/links'
import { loadLocalAssociations } from '../../store/local-associations'
import type { CrmAdapter } from '../adapters/types'
import { hashFieldValue } from '../hash'
import type { PageContext } from '../pull/apply-page'
import { contactsValue } from '../pull/plan'
import type { RemoteRecord } from '../types'

type Pair = { fromId: string; toId: string }

/** The '@contacts' entry of a link's field hashes, as the pull planner computes it. */
const contactsHash = (ids: Iterable<string>) => hashFieldValue(contactsValue(ids))

/**
 * Creates in the CRM the associations the app's tables hold for records just pushed (a
 * contact's company, a deal's company and contacts), and records them in the links'
 * field hashes as '@company' / '@contacts' — the keys the pull planner compares — so
 * they come back as part of our echo. Associating twice is harmless, so a retry after a
 * crash simply does it again.
 *
 * A contact the app took off a deal (`contactsChanged`: the deal's contacts were edited)
 * is taken off it in the CRM too, when the CRM's list is still the one last synced. If a
 * rep changed that list since, nothing is removed, so a rep's edit is never undone: what
 * either side added stays (a pull that sees the change first merges the CRM's list into
 * the app's, see replaceDealContacts; otherwise only the app's additions go out here, and
 * the next pull brings the CRM's). Only contacts linked on this connection are ever
 * removed: one the app has not seen yet is the rep's to keep.
 * A new primary company replaces the old one in the CRM by itself (one primary per record).
 */
export async function pushAssociations(ctx: PageContext, adapter: CrmAdapter, links: Map<string, LinkWrite>, localIds: string[],
  contactsChanged: ReadonlySet<string> = new Set()): Promise<void> {
  const { type } = ctx
  if (type === 'company' || localIds.length === 0) return
  const assoc = await loadLocalAssociations(ctx.sql, ctx.tenantId, ctx.connectionId, type, localIds)
  const companyPairs: Pair[] = []
  const contactPairs: Pair[] = []
  for (const localId of localIds) {
    const link = links.get(localId)
    const a = assoc.get(localId)
    if (!link || !a) continue
    if (a.companyRemoteId) companyPairs.push({ fromId: link.remoteId, toId: a.companyRemoteId })
    for (const contact of a.contactRemoteIds ?? []) contactPairs.push({ fromId: link.remoteId, toId: contact })
  }
  const inCrm: Awaited<ReturnType<typeof dealContactsToRemove>> = type === 'deal'
    ? await dealContactsToRemove(ctx, adapter, links, assoc, localIds.filter((id) => contactsChanged.has(id)))
    : new Map()
  if (companyPairs.length) await adapter.associateBatch(type, 'company', companyPairs)
  if (contactPairs.length) await adapter.associateBatch('deal', 'contact', contactPairs)
  const removals = [...inCrm.values()].flatMap((d) => d.remove.map((toId) => ({ fromId: d.remoteId, toId })))
  if (removals.length) await adapter.dissociateBatch('deal', 'contact', removals)
  for (const localId of localIds) {
    const link = links.get(localId)
    const a = assoc.get(localId)
    if (!link || !a) continue
    link.fieldHashes['@company'] = hashFieldValue(a.companyRemoteId)
    const read = inCrm.get(localId)
    if (read) link.fieldHashes['@contacts'] = contactsHash(new Set([...read.now, ...(a.contactRemoteIds ?? [])].filter((id) => !read.remove.includes(id))))
    else if (a.contactRemoteIds) link.fieldHashes['@contacts'] = contactsHash(a.contactRemoteIds)
  }
}

/** For deals whose contacts the app edited: what the CRM holds now, and which of those to take off. */
async function dealContactsToRemove(ctx: PageContext, adapter: CrmAdapter, links: Map<string, LinkWrite>,
  assoc: Awaited<ReturnType<typeof loadLocalAssociations>>, localIds: string[]): Promise<Map<string, { remoteId: string; now: string[]; remove: string[] }>> {
  const out = new Map<string, { remoteId: string; now: string[]; remove: string[] }>()
  const deals = localIds.flatMap((localId) => {
    const link = links.get(localId)
    return link && assoc.has(localId) ? [{ localId, link }] : []
  })
  if (deals.length === 0) return out
  const probes: RemoteRecord[] = deals.map((d) => ({ remoteId: d.link.remoteId, fields: {}, updatedAt: new Date(0), createdAt: new Date(0), archived: false }))
  await adapter.loadAssociations('deal', probes)
  const inCrm = probes.map((p) => p.associations?.contactRemoteIds ?? [])
  const known = await loadLinksByRemote(ctx.sql, ctx.connectionId, 'contact', [...new Set(inCrm.flat())])
  deals.forEach(({ localId, link }, i) => {
    const now = inCrm[i]
    const wanted = new Set(assoc.get(localId)!.contactRemoteIds ?? [])
    // The link still holds the hashes of the last sync here (this push has not replaced them).
    const untouchedByRep = contactsHash(now) === link.fieldHashes['@contacts']
    const remove = untouchedByRep ? now.filter((id) => !wanted.has(id) && known.has(id) && !known.get(id)!.archivedAt) : []
    out.set(localId, { remoteId: link.remoteId, now, remove })
  })
  return out
}
