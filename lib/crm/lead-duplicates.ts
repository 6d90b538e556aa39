// Is a lead a person the app already has? The identity rule the pull matches HubSpot's
// records by (identity.ts: link > email > phone), for the app's own leads: Add lead, an
// import and an edit refuse a duplicate rather than make a second lead that the next push
// would create as a second HubSpot contact.

export interface LeadIdentity {
  /** Normalized (lower case), or null. */
  email: string | null
  /** E.164, or null. */
  phone: string | null
}

export interface DuplicateMatch<T> {
  other: T
  field: 'email' | 'phone'
}

/**
 * The first of `others` that is `lead`'s person: the same email; else the same phone, unless
 * both have an email and they differ (as identity.ts's pull: two people with their own
 * emails may share an office phone).
 */
export function duplicateOf<T extends LeadIdentity>(lead: LeadIdentity, others: Iterable<T>, check: { email: boolean; phone: boolean } = { email: true, phone: true }): DuplicateMatch<T> | undefined {
  let byPhone: T | undefined
  for (const other of others) {
    if (check.email && lead.email !== null && other.email === lead.email) return { other, field: 'email' }
    if (check.phone && byPhone === undefined && lead.phone !== null && other.phone === lead.phone && !emailsDiffer(lead.email, other.email)) byPhone = other
  }
  return byPhone === undefined ? undefined : { other: byPhone, field: 'phone' }
}

function emailsDiffer(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a !== b
}

/** How a refusal names the other lead: its name, else its email, else its phone. */
export function leadName(l: LeadIdentity & { firstName: string | null; lastName: string | null }): string {
  return [l.firstName, l.lastName].filter(Boolean).join(' ') || l.email || l.phone || 'a lead without name, email or phone'
}

/** "a lead with this phone is already in the app: Grace Hopper" */
export function alreadyInApp(match: DuplicateMatch<LeadIdentity & { firstName: string | null; lastName: string | null }>): string {
  return `a lead with this ${match.field} is already in the app: ${leadName(match.other)}`
}
