// Which local record is this remote one? Existing link, else an unlinked local record with
// the same email, else one with the same phone. Getting this wrong either duplicates a
// manual lead or, worse, merges two people, so every rule below leans towards `create`.
import { normalizeEmail } from './normalize'

export type LocalSource = 'manual' | 'crm' | 'import'

export interface LocalCandidate {
  localId: string
  /** The remote record this local one is already linked to on this connection, if any. */
  linkedRemoteId: string | null
  source: LocalSource
  /** The candidate's own email, when known: a phone match never joins two different emails. */
  email?: string | null
}

export interface IncomingIdentity {
  remoteId: string
  email: string | null
  phone: string | null
}

export interface IdentityLookups {
  /** remote id → local id, from crm_links. */
  linksByRemoteId: ReadonlyMap<string, string>
  candidatesByEmail: ReadonlyMap<string, readonly LocalCandidate[]>
  candidatesByPhone: ReadonlyMap<string, readonly LocalCandidate[]>
}

export type MatchReason = 'email' | 'phone'

export type IdentityDecision =
  | { kind: 'link'; localId: string }
  | { kind: 'match'; localId: string; reason: MatchReason }
  | { kind: 'create' }

// With several candidates for one email, a person's own lead is the one to keep.
const SOURCE_PREFERENCE: Record<LocalSource, number> = { manual: 0, import: 1, crm: 2 }
const PHONE_NOISE = /[\s().-]/g

/**
 * One decision per incoming record, in order. Links are settled for the whole batch first,
 * so a record matched by email cannot take a local record that a later record in the same
 * batch is already linked to; after that, each local record is claimed at most once.
 */
export function matchIdentities(incoming: readonly IncomingIdentity[], lookups: IdentityLookups): IdentityDecision[] {
  const byEmail = rekey(lookups.candidatesByEmail, normalizeEmail)
  const byPhone = rekey(lookups.candidatesByPhone, phoneKey)
  const claimed = new Set<string>()
  const decisions: (IdentityDecision | undefined)[] = incoming.map((record) => {
    const localId = lookups.linksByRemoteId.get(record.remoteId)
    if (localId === undefined) return undefined
    claimed.add(localId)
    return { kind: 'link', localId }
  })
  return incoming.map((record, i) => decisions[i] ?? matchOne(record, byEmail, byPhone, claimed))
}

function matchOne(
  record: IncomingIdentity,
  byEmail: Map<string, LocalCandidate[]>,
  byPhone: Map<string, LocalCandidate[]>,
  claimed: Set<string>,
): IdentityDecision {
  const email = normalizeEmail(record.email)
  const phone = phoneKey(record.phone)
  const viaEmail = email === null ? undefined : pick(byEmail.get(email), record.remoteId, claimed)
  if (viaEmail) return decide(viaEmail, record.remoteId, 'email', claimed)
  const viaPhone = phone === null ? undefined
    : pick(byPhone.get(phone)?.filter((c) => !emailsDiffer(c.email, email)), record.remoteId, claimed)
  if (viaPhone) return decide(viaPhone, record.remoteId, 'phone', claimed)
  return { kind: 'create' }
}

function pick(candidates: LocalCandidate[] | undefined, remoteId: string, claimed: Set<string>): LocalCandidate | undefined {
  let best: LocalCandidate | undefined
  for (const c of candidates ?? []) {
    // Linked to another remote record: that is someone else's, never stolen.
    if (claimed.has(c.localId) || (c.linkedRemoteId !== null && c.linkedRemoteId !== remoteId)) continue
    if (c.linkedRemoteId === remoteId) return c
    if (best === undefined || SOURCE_PREFERENCE[c.source] < SOURCE_PREFERENCE[best.source]) best = c
  }
  return best
}

function decide(candidate: LocalCandidate, remoteId: string, reason: MatchReason, claimed: Set<string>): IdentityDecision {
  claimed.add(candidate.localId)
  // A local record already linked to this very remote id, though the link map missed it.
  if (candidate.linkedRemoteId === remoteId) return { kind: 'link', localId: candidate.localId }
  return { kind: 'match', localId: candidate.localId, reason }
}

function emailsDiffer(candidateEmail: string | null | undefined, incomingEmail: string | null): boolean {
  if (incomingEmail === null || candidateEmail == null) return false
  const normalized = normalizeEmail(candidateEmail)
  return normalized !== null && normalized !== incomingEmail
}

/** Phones arrive as E.164; this only forgives formatting, it does not parse. */
function phoneKey(phone: string | null | undefined): string | null {
  if (phone == null) return null
  const key = phone.replace(PHONE_NOISE, '')
  return key === '' ? null : key
}

function rekey(
  source: ReadonlyMap<string, readonly LocalCandidate[]>,
  normalize: (key: string) => string | null,
): Map<string, LocalCandidate[]> {
  const out = new Map<string, LocalCandidate[]>()
  for (const [key, candidates] of source) {
    const normalized = normalize(key)
    if (normalized === null) continue
    const list = out.get(normalized)
    if (list) list.push(...candidates)
    else out.set(normalized, [...candidates])
  }
  return out
}
