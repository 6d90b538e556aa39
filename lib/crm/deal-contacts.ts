import { hashFieldValue } from './hash'

// A deal's contacts as the link remembers them ('@contacts' in its field hashes), and the
// three-way merge that settles the list when the app and a rep both changed it since the
// last sync. Pure: the pull, the push and their tests share these rules.
//
// The link keeps the list itself, not a hash of it ("=101.102"): a merge needs to know what
// each side started from, so a contact one side took off stays off. Links written before
// kept a hash; for those the base is unknown and the merge keeps what either side has.

/** A deal's contacts as one value: order-free, null when there are none. */
export const contactsValue = (remoteIds: Iterable<string>): string | null => [...remoteIds].sort().join(',') || null

const LIST_PREFIX = '='
const SAFE_ID = /^[A-Za-z0-9_-]+$/

/** The '@contacts' entry stored in a link: the sorted list, or its hash if an id could not be stored as is. */
export function contactsEntry(remoteIds: Iterable<string>): string {
  const ids = [...new Set(remoteIds)].sort()
  if (ids.every((id) => SAFE_ID.test(id))) return LIST_PREFIX + ids.join('.')
  return hashFieldValue(contactsValue(ids))
}

/** The list a stored '@contacts' entry holds; null when it is a hash (or absent), so the base is unknown. */
export function contactsBase(entry: string | undefined): Set<string> | null {
  if (entry === undefined || !entry.startsWith(LIST_PREFIX)) return null
  return new Set(entry.length > 1 ? entry.slice(1).split('.') : [])
}

/** Whether the CRM's list is the one a stored entry remembers, in either form. */
export function sameContacts(entry: string | undefined, remoteIds: Iterable<string>): boolean {
  if (entry === undefined) return false
  return entry.startsWith(LIST_PREFIX) ? entry === contactsEntry(remoteIds) : entry === hashFieldValue(contactsValue(remoteIds))
}

/**
 * The list both sides should end with. With a base, the usual three-way rule: a contact
 * stays if both sides have it, or if the side that has it added it since the base; so
 * a removal on either side holds unless the other side added the contact back. Without a
 * base (a link from before lists were kept), nothing can be called a removal: the union.
 */
export function mergeContacts(local: Iterable<string>, remote: Iterable<string>, base: ReadonlySet<string> | null): Set<string> {
  const l = new Set(local)
  const r = new Set(remote)
  if (!base) return new Set([...l, ...r])
  const out = new Set<string>()
  for (const id of l) if (r.has(id) || !base.has(id)) out.add(id)
  for (const id of r) if (!base.has(id)) out.add(id)
  return out
}

export interface DealContactPair { dealId: string; remoteId: string }

/**
 * What a pull writes to `deal_contacts` for deals whose contacts changed in the CRM. A deal
 * the app has no unpushed edit for takes the CRM's list. A deal whose edit is still in the
 * outbox (`pending`) is merged instead: the rep's additions since the base go in and the
 * rep's removals come off, while the app's own changes stay for the push to send.
 */
export function pulledDealContacts(deals: Array<{ dealId: string; remote: string[]; base: ReadonlySet<string> | null }>, pending: ReadonlySet<string>):
  { replace: string[]; add: DealContactPair[]; remove: DealContactPair[] } {
  const out = { replace: [] as string[], add: [] as DealContactPair[], remove: [] as DealContactPair[] }
  for (const { dealId, remote, base } of deals) {
    if (!pending.has(dealId)) {
      out.replace.push(dealId)
      for (const remoteId of remote) out.add.push({ dealId, remoteId })
      continue
    }
    const inCrm = new Set(remote)
    for (const remoteId of remote) if (!base?.has(remoteId)) out.add.push({ dealId, remoteId })
    for (const remoteId of base ?? []) if (!inCrm.has(remoteId)) out.remove.push({ dealId, remoteId })
  }
  return out
}
