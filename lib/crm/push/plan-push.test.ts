import { describe, expect, it } from 'vitest'
import { hashFieldValue } from '../hash'
import { LOST_ENTRY } from '../lost-values'
import type { Link } from '../../store/links'
import type { LocalRecord } from '../../store/records'
import { planPush } from './plan-push'

const T0 = new Date('2026-01-01T00:00:00Z')
const local = (over: Partial<LocalRecord> = {}): LocalRecord => ({
  id: 'l1', source: 'manual', updatedAt: T0, archivedAt: null, companyId: null,
  fields: { email: 'ada@example.com', firstName: 'Ada', jobTitle: 'CTO' }, ...over,
})
const link = (over: Partial<Link> = {}): Link => ({
  localId: 'l1', remoteId: 'r1', remoteUpdatedAt: T0, syncedHash: '', origin: 'app', archivedAt: null, lastDirection: 'push',
  fieldHashes: { email: hashFieldValue('ada@example.com'), firstName: hashFieldValue('Ada'), jobTitle: hashFieldValue('VP') }, ...over,
})
const change = (columns: string[], deleted = false) => ({ localId: 'l1', entryIds: [7], deleted, columns: new Set(columns) })

function plan(opts: { type?: 'contact' | 'company' | 'deal'; columns?: string[]; deleted?: boolean; link?: Link; local?: LocalRecord | null; held?: string[];
  options?: Record<string, Array<[string, string]>> }) {
  return planPush({
    type: opts.type ?? 'contact', changes: [change(opts.columns ?? ['job_title'], opts.deleted)],
    links: new Map(opts.link ? [['l1', opts.link]] : []),
    locals: new Map(opts.local === null ? [] : [['l1', opts.local ?? local()]]),
    conflicted: new Map(opts.held ? [['l1', new Set(opts.held)]] : []),
    normalize: {},
    options: opts.options,
  })
}

describe('planPush', () => {
  it.each([
    { name: 'an unlinked record is created with all its fields', opts: {}, creates: 1, updates: 0, deletes: 0, acks: 0 },
    { name: 'only fields whose value differs from what the CRM holds are updated', opts: { link: link(), columns: ['job_title', 'first_name'] }, creates: 0, updates: 1, deletes: 0, acks: 0 },
    { name: 'a change the CRM already holds is acknowledged without a call', opts: { link: link({ fieldHashes: { jobTitle: hashFieldValue('CTO') } }) }, creates: 0, updates: 0, deletes: 0, acks: 1 },
    { name: 'a field waiting for manual review is not pushed', opts: { link: link(), held: ['jobTitle'] }, creates: 0, updates: 0, deletes: 0, acks: 1 },
    { name: 'a local delete archives the linked CRM record', opts: { link: link(), deleted: true, local: null }, creates: 0, updates: 0, deletes: 1, acks: 0 },
    { name: 'a record deleted before it was ever pushed needs no call', opts: { deleted: true, local: null }, creates: 0, updates: 0, deletes: 0, acks: 1 },
    { name: 'a record the CRM deleted is not resurrected by a local edit', opts: { link: link({ archivedAt: T0 }) }, creates: 0, updates: 0, deletes: 0, acks: 1 },
    { name: 'a changed company is an association update', opts: { link: link({ fieldHashes: { jobTitle: hashFieldValue('CTO') } }), columns: ['company_id'] }, creates: 0, updates: 1, deletes: 0, acks: 0 },
    { name: "a deal's edited contacts are an association update", opts: { type: 'deal' as const, link: link(), local: local({ fields: {} }), columns: ['contacts'] }, creates: 0, updates: 1, deletes: 0, acks: 0 },
    { name: "'contacts' means nothing on a contact", opts: { link: link({ fieldHashes: { jobTitle: hashFieldValue('CTO') } }), columns: ['contacts'] }, creates: 0, updates: 0, deletes: 0, acks: 1 },
    // The company column re-created empty (lost-values.ts): no company of the app's to take off; the pull fills it.
    { name: 'an empty re-created company column is no association change', opts: { link: link({ fieldHashes: { jobTitle: hashFieldValue('CTO'), '@company': LOST_ENTRY } }), columns: ['company_id'] }, creates: 0, updates: 0, deletes: 0, acks: 1 },
    { name: 'a company the app set in a re-created column is sent', opts: { link: link({ fieldHashes: { jobTitle: hashFieldValue('CTO'), '@company': LOST_ENTRY } }), local: local({ companyId: 'c1' }), columns: ['company_id'] }, creates: 0, updates: 1, deletes: 0, acks: 0 },
  ])('$name', ({ name: _name, opts, ...want }) => {
    const p = plan(opts)
    expect({ creates: p.creates.length, updates: p.updates.length, deletes: p.deletes.length, acks: p.acks.length }).toEqual(want)
  })

  it.each([
    { name: 'a new record whose email is not one', opts: { local: local({ fields: { email: 'not-an-email', firstName: 'Ada' } }) },
      error: /^email: "not-an-email" is not an email address: / },
    { name: "a linked record's email changed to one that is not (not sent as no email)", opts: { link: link(), local: local({ fields: { email: 'nope' } }), columns: ['email'] },
      error: /^email: "nope" is not an email address/ },
    { name: 'a company domain that is no host name', opts: { type: 'company' as const, local: local({ fields: { name: 'Acme', domain: 'not a domain' } }) },
      error: /^domain: "not a domain" is not a domain name/ },
    { name: 'a lifecycle stage the portal does not have, once its options are read', opts: { local: local({ fields: { lifecycleStage: 'not_a_stage' } }), options: { lifecycleStage: [['lead', 'Lead']] as Array<[string, string]> } },
      error: /^lifecycle_stage: lifecycle stage "not_a_stage" is not one of this HubSpot portal's options: Lead \(lead\)/ },
  ])('refused, not sent: $name', ({ opts, error }) => {
    const p = plan(opts)
    expect({ creates: p.creates.length, updates: p.updates.length, acks: p.acks.length }).toEqual({ creates: 0, updates: 0, acks: 0 })
    expect(p.fails).toEqual([{ change: expect.objectContaining({ localId: 'l1' }), error: expect.stringMatching(error) }])
  })

  it("an unreadable value in a field neither sent nor changed does not hold a linked record's other change", () => {
    const p = plan({ link: link(), local: local({ fields: { email: 'nope', jobTitle: 'CTO' } }), columns: ['job_title'] })
    expect(p.fails).toEqual([])
    expect(p.updates[0].fields).toEqual({ jobTitle: 'CTO' })
  })

  it('an update carries only the changed fields', () => {
    const p = plan({ link: link(), columns: ['job_title', 'first_name'] })
    expect(p.updates[0].fields).toEqual({ jobTitle: 'CTO' })
  })
})
