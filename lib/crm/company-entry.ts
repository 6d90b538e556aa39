import { hashFieldValue } from './hash'

// A record's company as its link remembers it ('@company' in the link's field hashes). Pure:
// the pull planner and the push share it.
//
// The link keeps the CRM's company id itself ("#4711"), not a hash of it: a contact read
// before its company was in the app (a company created after the run's company phase, or a
// webhook for the contact ahead of the company's) is linked to it once it arrives, found by
// this entry (see linkArrivedCompanies in lib/store/records.ts). Links written before kept a
// hash; both forms compare equal, so those links keep working and move to the id the next
// time they are written.

const ID_PREFIX = '#'
// What a field-hash entry may hold (no ',' or ':'), and what the store's lookup matches.
const SAFE_ID = /^[A-Za-z0-9_-]+$/

/** The '@company' entry for a company id: the id itself, "empty" for none, a hash for an id that cannot be stored as is. */
export function companyEntry(remoteId: string | null | undefined): string {
  if (!remoteId) return hashFieldValue(null)
  return SAFE_ID.test(remoteId) ? ID_PREFIX + remoteId : hashFieldValue(remoteId)
}

/** Whether a stored entry remembers this company, in either form. */
export function sameCompany(entry: string | undefined, remoteId: string | null | undefined): boolean {
  if (entry === undefined) return false
  return entry === companyEntry(remoteId) || entry === hashFieldValue(remoteId ?? null)
}
