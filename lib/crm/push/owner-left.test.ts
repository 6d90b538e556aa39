import { describe, expect, it } from 'vitest'
import type { Link } from '../../store/links'
import type { LocalRecord } from '../../store/records'
import type { CoalescedChange } from './coalesce'
import { leaveOutOwners } from './owner-left'
import type { PushPlan } from './plan-push'

const T0 = new Date('2026-01-01T00:00:00Z')
const local = (over: Partial<LocalRecord> = {}): LocalRecord => ({
  id: 'l1', source: 'manual', updatedAt: T0, archivedAt: null, companyId: null, fields: { firstName: 'Ada', ownerRemoteId: null },
  ownerNotInConnection: 'jack@example.com', ...over,
})
const change = (columns: string[], deleted = false): CoalescedChange => ({ localId: 'l1', entryIds: [7, 8], deleted, columns: new Set(columns) })
const link = (over: Partial<Link> = {}): Link => ({
  localId: 'l1', remoteId: 'r1', remoteUpdatedAt: T0, syncedHash: '', origin: 'app', archivedAt: null, lastDirection: 'push', fieldHashes: {}, ...over,
})
const emptyPlan = (): PushPlan => ({ deletes: [], creates: [], updates: [], acks: [], heldEdits: [], fails: [] }) as unknown as PushPlan

function run(opts: { c: CoalescedChange; plan: (c: CoalescedChange) => Partial<PushPlan>; local?: LocalRecord; link?: Link; held?: string[] }) {
  const plan = Object.assign(emptyPlan(), opts.plan(opts.c))
  const left = leaveOutOwners(plan, {
    changes: [opts.c], locals: new Map([['l1', opts.local ?? local()]]), links: new Map(opts.link ? [['l1', opts.link]] : []),
    conflicted: new Map(opts.held ? [['l1', new Set(opts.held)]] : []),
  })
  return { left: left.length, creates: plan.creates.map((x) => x.fields), updates: plan.updates.map((x) => x.fields), acks: plan.acks }
}

const update = (c: CoalescedChange, fields: Record<string, string | null>, associations = false) =>
  ({ updates: [{ change: c, fields, remoteId: 'r1', remoteUpdatedAt: T0, base: {}, associations }] })

describe('leaveOutOwners', () => {
  it.each([
    { name: 'a new record goes without its owner, which is left', c: change(['email']), plan: (c: CoalescedChange) => ({ creates: [{ change: c, fields: { firstName: 'Ada', ownerRemoteId: null } }] }),
      want: { left: 1, creates: [{ firstName: 'Ada' }], updates: [], acks: [] } },
    { name: 'a changed owner with other fields: the fields go, the owner is left', c: change(['owner_id', 'first_name']), link: link(),
      plan: (c: CoalescedChange) => update(c, { firstName: 'Ada', ownerRemoteId: null }), want: { left: 1, creates: [], updates: [{ firstName: 'Ada' }], acks: [] } },
    { name: 'a changed owner alone: nothing to send (never a cleared owner), the owner is left', c: change(['owner_id']), link: link(),
      plan: (c: CoalescedChange) => update(c, { ownerRemoteId: null }), want: { left: 1, creates: [], updates: [], acks: [7, 8] } },
    { name: 'the same, already acknowledged by the planner (HubSpot holds no owner either)', c: change(['owner_id']), link: link(),
      plan: (c: CoalescedChange) => ({ acks: [...c.entryIds] }), want: { left: 1, creates: [], updates: [], acks: [7, 8] } },
    { name: 'an owner changed with a company: the association still goes', c: change(['owner_id', 'company_id']), link: link(),
      plan: (c: CoalescedChange) => update(c, { ownerRemoteId: null }, true), want: { left: 1, creates: [], updates: [{}], acks: [] } },
    { name: 'an owner not changed now: nothing said', c: change(['first_name']), link: link(),
      plan: (c: CoalescedChange) => update(c, { firstName: 'Ada' }), want: { left: 0, creates: [], updates: [{ firstName: 'Ada' }], acks: [] } },
    { name: 'an owner this connection has: untouched', c: change(['owner_id']), link: link(), local: local({ ownerNotInConnection: undefined }),
      plan: (c: CoalescedChange) => update(c, { ownerRemoteId: '5' }), want: { left: 0, creates: [], updates: [{ ownerRemoteId: '5' }], acks: [] } },
    { name: 'a record HubSpot deleted: nothing left waiting', c: change(['owner_id']), link: link({ archivedAt: T0 }),
      plan: (c: CoalescedChange) => ({ acks: [...c.entryIds] }), want: { left: 0, creates: [], updates: [], acks: [7, 8] } },
    { name: 'a record the app archived: nothing left waiting', c: change(['owner_id']), link: link(), local: local({ archivedAt: T0 }),
      plan: (c: CoalescedChange) => ({ acks: [...c.entryIds] }), want: { left: 0, creates: [], updates: [], acks: [7, 8] } },
    { name: 'an owner waiting in a conflict: its app side says it, nothing left', c: change(['owner_id']), link: link(), held: ['ownerRemoteId'],
      plan: (c: CoalescedChange) => ({ acks: [...c.entryIds] }), want: { left: 0, creates: [], updates: [], acks: [7, 8] } },
  ])('$name', ({ name: _name, want, ...opts }) => expect(run(opts)).toEqual(want))
})
