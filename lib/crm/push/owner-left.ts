import type { CoalescedChange } from './coalesce'
import { planPush, type PushPlan, type PushPlanInput } from './plan-push'

// A record's owner as the pushed-to connection knows it (loadLocalRecords): the host app may
// set owner_id to any owner of its tenant, one pulled through another connection (another
// HubSpot portal) among them. When this connection has no owner for that person, the record
// goes without its owner rather than not at all (a new lead still reaches HubSpot, an edit of
// its name still goes): sending nothing for it would leave HubSpot's owner as it was, where
// sending the owner's id would be refused by HubSpot, or name someone else there. The owner
// part stays queued, failed with the reason, and goes once the owner is one of this account's.
// https://developers.hubspot.com/docs/api/crm/owners

export interface OwnerLeft {
  change: CoalescedChange
  reason: string
}

/** Why a record went without its owner: who the owner is, and what to do about it. */
export function ownerLeftReason(owner: string): string {
  return `owner ${owner} is not an owner of this connection's HubSpot account (none with that id or email there): ` +
    'the record was sent without it; set an owner of that account, or add this person to it and sync again'
}

/**
 * Takes the owner out of what `plan` sends for records whose owner the connection has no
 * owner for (LocalRecord.ownerNotInConnection): an update left with nothing to send becomes
 * an ack. Returns the records whose owner the app meant to send (a new record's, or a changed
 * owner), each with the reason it was not.
 */
export function leaveOutOwners(plan: PushPlan, input: Pick<PushPlanInput, 'changes' | 'links' | 'locals' | 'conflicted'>): OwnerLeft[] {
  const notHere = (localId: string) => input.locals.get(localId)?.ownerNotInConnection
  const created = new Set(plan.creates.map((c) => c.change))
  const sent = new Set([...plan.creates.map((c) => c.change), ...plan.updates.map((u) => u.change)])
  const acked = new Set(plan.acks)
  const left: OwnerLeft[] = []
  for (const c of input.changes) {
    const owner = notHere(c.localId)
    if (owner === undefined) continue
    // Only records going out, or live ones with nothing left to send: not deleted (on either
    // side), refused, or with the owner waiting in a conflict (its app side says the owner).
    const live = !c.deleted && !input.locals.get(c.localId)?.archivedAt && !input.links.get(c.localId)?.archivedAt
    if (!sent.has(c) && !(live && c.entryIds.every((id) => acked.has(id)))) continue
    if (input.conflicted.get(c.localId)?.has('ownerRemoteId')) continue
    if (created.has(c) || c.columns.has('owner_id')) left.push({ change: c, reason: ownerLeftReason(owner) })
  }
  for (const c of plan.creates) if (notHere(c.change.localId) !== undefined) delete c.fields.ownerRemoteId
  plan.updates = plan.updates.filter((u) => {
    if (notHere(u.change.localId) === undefined) return true
    delete u.fields.ownerRemoteId
    if (Object.keys(u.fields).length > 0 || u.associations) return true
    plan.acks.push(...u.change.entryIds)
    return false
  })
  return left
}

/** planPush, then leaveOutOwners: the plan as sent, and the records that go without their owner. */
export function planPushWithOwners(input: PushPlanInput): PushPlan & { ownerLeft: OwnerLeft[] } {
  const plan = planPush(input)
  return Object.assign(plan, { ownerLeft: leaveOutOwners(plan, input) })
}
