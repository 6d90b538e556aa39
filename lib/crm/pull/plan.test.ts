import { describe, expect, it } from 'vitest'
import { conflictConfigSchema } from '../conflicts/config'
import { hashFieldValue } from '../hash'
import type { IdentityDecision } from '../identity'
import { CANONICAL_FIELDS, type Fields, type RemoteRecord } from '../types'
import type { Link } from '../../store/links'
import type { LocalRecord } from '../../store/records'
import { contactsEntry as contactsEntryOf, contactsValue } from '../deal-contacts'
import { LOST_ENTRY } from '../lost-values'
import { contentHash, planPage, type PlanKind } from './plan'

const T0 = new Date('2026-01-01T00:00:00Z')
const T1 = new Date('2026-01-02T00:00:00Z')
const T2 = new Date('2026-01-03T00:00:00Z')

const base: Fields = Object.fromEntries(CANONICAL_FIELDS.contact.map((f) => [f, null]))
const fields = (over: Fields): Fields => ({ ...base, email: 'ada@example.com', firstName: 'Ada', jobTitle: 'CTO', ...over })
const remote = (over: Fields = {}, updatedAt = T1): RemoteRecord =>
  ({ remoteId: 'r1', fields: fields(over), updatedAt, createdAt: T0, archived: false, associations: { companyRemoteId: null } })
const hashes = (f: Fields) => ({
  ...Object.fromEntries(CANONICAL_FIELDS.contact.map((k) => [k, hashFieldValue(f[k])])), '@company': hashFieldValue(null),
})
const link = (over: Partial<Link> = {}): Link => ({
  localId: 'l1', remoteId: 'r1', remoteUpdatedAt: T0, syncedHash: 'old', fieldHashes: hashes(fields({})), origin: 'crm', archivedAt: null, lastDirection: 'pull', ...over,
})
const local = (over: Fields = {}, updatedAt = T0): LocalRecord => ({ id: 'l1', source: 'crm', fields: fields(over), updatedAt, archivedAt: null, companyId: null })

interface Case {
  name: string
  record: RemoteRecord
  link?: Link
  local?: LocalRecord
  decision?: IdentityDecision
  strategy?: 'timestamp_based' | 'manual_review' | 'source_priority'
  expect: { kind: PlanKind; write?: Fields; toRemote?: string[]; toLocal?: string[]; conflict?: string[]; keepLocal?: { company: boolean; contacts: boolean }; extra?: Fields; settled?: string[] }
}

const cases: Case[] = [
  { name: 'an unknown record is created', record: remote(), decision: { kind: 'create' },
    expect: { kind: 'create', write: fields({}) } },
  { name: 'the same content as last synced is unchanged', record: remote(), link: link({ syncedHash: contentHash(remote()) }), local: local(),
    expect: { kind: 'unchanged' } },
  { name: 'the same content right after our push is an echo', record: remote(), link: link({ syncedHash: contentHash(remote()), lastDirection: 'push' }), local: local(),
    expect: { kind: 'echo' } },
  { name: 'our push coming back (no record hash yet) is recognised field by field', record: remote(), link: link({ syncedHash: '', lastDirection: 'push' }), local: local(),
    expect: { kind: 'echo' } },
  { name: 'an older state than the one linked is stale', record: remote({}, T0), link: link({ remoteUpdatedAt: T1 }), local: local(),
    expect: { kind: 'stale' } },
  { name: "a rep's edit to a record we pushed is applied, not taken for an echo", record: remote({ jobTitle: 'CEO' }), link: link({ syncedHash: '', lastDirection: 'push', origin: 'app' }), local: local(),
    expect: { kind: 'update', write: fields({ jobTitle: 'CEO' }) } },
  { name: 'a local edit to another field is kept and queued for the CRM', record: remote({ jobTitle: 'CEO' }), link: link(), local: local({ firstName: 'Ada L.' }),
    expect: { kind: 'update', write: fields({ jobTitle: 'CEO', firstName: 'Ada L.' }), toRemote: ['firstName'], toLocal: ['jobTitle'], settled: undefined } },
  { name: 'both sides changed one field: the newer (CRM) change wins under timestamp_based', record: remote({ jobTitle: 'CEO' }, T2), link: link(), local: local({ jobTitle: 'VP' }, T1),
    expect: { kind: 'update', write: fields({ jobTitle: 'CEO' }), toLocal: ['jobTitle'], settled: ['jobTitle'] } },
  { name: 'both sides changed one field: the app wins under source_priority app > crm', strategy: 'source_priority', record: remote({ jobTitle: 'CEO' }, T2), link: link(), local: local({ jobTitle: 'VP' }, T1),
    expect: { kind: 'update', write: fields({ jobTitle: 'VP' }), toRemote: ['jobTitle'], toLocal: undefined, settled: ['jobTitle'] } },
  { name: 'both sides changed one field: manual_review keeps both and opens a conflict; the record itself is held, not updated', strategy: 'manual_review',
    record: remote({ jobTitle: 'CEO' }), link: link(), local: local({ jobTitle: 'VP' }),
    expect: { kind: 'held', write: undefined, conflict: ['jobTitle'], toLocal: undefined, settled: undefined } },
  { name: 'manual_review with another field changed in the CRM: the record is updated and the conflict opens', strategy: 'manual_review',
    record: remote({ jobTitle: 'CEO', firstName: 'Adah' }), link: link(), local: local({ jobTitle: 'VP' }),
    expect: { kind: 'update', write: fields({ jobTitle: 'VP', firstName: 'Adah' }), conflict: ['jobTitle'] } },
  { name: 'manual_review without sync history (a lead matched by email): updated, the conflict opens', strategy: 'manual_review',
    record: remote({ jobTitle: 'CEO' }), local: local({ jobTitle: 'VP' }),
    expect: { kind: 'update', conflict: ['jobTitle'] } },
  { name: 'the local record is gone: an orphan, the outbox delete reaches the CRM', record: remote({ jobTitle: 'CEO' }), link: link(),
    expect: { kind: 'orphan' } },
  { name: "a company the CRM has not changed since the last sync stays as the app has it", record: remote({ jobTitle: 'CEO' }), link: link(), local: local(),
    expect: { kind: 'update', keepLocal: { company: true, contacts: false } } },
  { name: "a company the CRM changed since the last sync is the CRM's", record: { ...remote({ jobTitle: 'CEO' }), associations: { companyRemoteId: 'c9' } }, link: link(), local: local(),
    expect: { kind: 'update', keepLocal: { company: false, contacts: false } } },
  { name: "without sync history the CRM's associations are taken", record: remote({ jobTitle: 'CEO' }), local: local(),
    expect: { kind: 'update', keepLocal: undefined } },
  // The app's company column re-created (lost-values.ts): the link remembers '@company' as lost.
  { name: 'a re-created company column, empty: read in full, and the CRM\'s company is written', record: { ...remote(), associations: { companyRemoteId: 'c9' } },
    link: link({ syncedHash: contentHash({ ...remote(), associations: { companyRemoteId: 'c9' } }), fieldHashes: { ...hashes(fields({})), '@company': LOST_ENTRY } }), local: local(),
    expect: { kind: 'update', write: fields({}), keepLocal: { company: false, contacts: false } } },
  { name: "a company the app set in the re-created column since is the app's: kept", record: { ...remote(), associations: { companyRemoteId: 'c9' } },
    link: link({ fieldHashes: { ...hashes(fields({})), '@company': LOST_ENTRY } }), local: { ...local(), companyId: 'app-company' },
    expect: { kind: 'update', keepLocal: { company: true, contacts: false } } },
  // Extra properties (crm_properties): the CRM's, as read, whenever the record is written.
  { name: 'extra properties the row already holds: unchanged', record: { ...remote(), extra: { tier: 'gold' } }, link: link(), local: { ...local(), extra: { tier: 'gold' } },
    expect: { kind: 'unchanged' } },
  { name: 'an extra property alone changed: written, even right after our push', record: { ...remote(), extra: { tier: 'gold' } },
    link: link({ syncedHash: '', lastDirection: 'push' }), local: { ...local(), extra: { tier: 'silver' } },
    expect: { kind: 'update', write: fields({}), extra: { tier: 'gold' } } },
  { name: 'an extra property cleared in the CRM: written without it', record: { ...remote(), extra: {} }, link: link(), local: { ...local(), extra: { tier: 'gold' } },
    expect: { kind: 'update', extra: {} } },
  { name: 'a new extra property with a value: written', record: { ...remote(), extra: { tier: 'gold' } }, link: link(), local: local(),
    expect: { kind: 'update', extra: { tier: 'gold' } } },
  { name: 'extra properties not read: the row keeps its own', record: remote(), link: link(), local: { ...local(), extra: { tier: 'gold' } },
    expect: { kind: 'unchanged' } },
  { name: 'a new record takes the extra properties read', record: { ...remote(), extra: { tier: 'gold' } }, decision: { kind: 'create' },
    expect: { kind: 'create', extra: { tier: 'gold' } } },
]

describe('planPage', () => {
  it.each(cases)('$name', (c) => {
    const conflicts = conflictConfigSchema.parse({
      strategy: c.strategy ?? 'timestamp_based', ...(c.strategy === 'source_priority' ? { sourcePriority: ['app', 'crm'] } : {}),
    })
    const [plan] = planPage({
      type: 'contact', records: [c.record], conflicts, newId: () => 'new-id',
      links: new Map(c.link ? [[c.link.remoteId, c.link]] : []),
      decisions: [c.decision ?? { kind: 'link', localId: 'l1' }],
      locals: new Map(c.local ? [[c.local.id, c.local]] : []),
    })
    expect(plan.kind).toBe(c.expect.kind)
    if ('write' in c.expect) expect(plan.write).toEqual(c.expect.write)
    expect(plan.toRemote).toEqual(c.expect.toRemote)
    // The fields whose app edit, if any, the write overwrites (a pull-only connection forgets it).
    if ('toLocal' in c.expect) expect(plan.toLocal).toEqual(c.expect.toLocal)
    expect(plan.conflict?.fields).toEqual(c.expect.conflict)
    if ('keepLocal' in c.expect) expect(plan.keepLocal).toEqual(c.expect.keepLocal)
    if ('extra' in c.expect) expect(plan.extra).toEqual(c.expect.extra)
    // The fields a strategy settled, changed on both sides: what makes the page read the strategy again (apply-page.ts).
    if ('settled' in c.expect) expect(plan.settled).toEqual(c.expect.settled)
  })

  it.each([
    ['no extra properties: the hash of the fields and associations alone', undefined, false],
    ['none with a value: the same hash', {}, false],
    ['one with a value: another hash', { tier: 'gold' }, true],
  ] as const)('contentHash, %s', (_name, extra, differs) => {
    expect(contentHash({ ...remote(), extra }) !== contentHash(remote())).toBe(differs)
  })

  it('a conflict carries when each side changed its fields: the app row before this pull wrote it, the CRM field', () => {
    const record = { ...remote({ jobTitle: 'CEO' }, T2), fieldUpdatedAt: { jobTitle: T1 } }
    const [plan] = planPage({
      type: 'contact', records: [record], conflicts: conflictConfigSchema.parse({ strategy: 'manual_review' }), newId: () => 'x',
      links: new Map([['r1', link()]]), decisions: [{ kind: 'link', localId: 'l1' }], locals: new Map([['l1', local({ jobTitle: 'VP' }, T2)]]),
    })
    expect(plan.conflict).toMatchObject({ fields: ['jobTitle'], localAt: T2, remoteAt: T1 })
  })

  it('a field queued for the CRM keeps the hash of what the CRM holds until the push lands', () => {
    const [plan] = planPage({
      type: 'contact', records: [remote({ jobTitle: 'CEO' })], conflicts: conflictConfigSchema.parse({}), newId: () => 'x',
      links: new Map([['r1', link()]]), decisions: [{ kind: 'link', localId: 'l1' }], locals: new Map([['l1', local({ firstName: 'Ada L.' })]]),
    })
    expect(plan.link!.fieldHashes.firstName).toBe(hashFieldValue('Ada'))
    expect(plan.link!.fieldHashes.jobTitle).toBe(hashFieldValue('CEO'))
  })
})

describe("a deal's contacts", () => {
  const dealBase: Fields = Object.fromEntries(CANONICAL_FIELDS.deal.map((f) => [f, null]))
  const deal = (contacts: string[], name: string): RemoteRecord =>
    ({ remoteId: 'r1', fields: { ...dealBase, name }, updatedAt: T1, createdAt: T0, archived: false, associations: { companyRemoteId: null, contactRemoteIds: contacts } })
  const dealLink = (contactsEntry: string): Link => link({
    fieldHashes: { ...Object.fromEntries(CANONICAL_FIELDS.deal.map((f) => [f, hashFieldValue(f === 'name' ? 'Old' : null)])), '@company': hashFieldValue(null), '@contacts': contactsEntry },
  })
  const localDeal: LocalRecord = { id: 'l1', source: 'crm', fields: { ...dealBase, name: 'Old' }, updatedAt: T0, archivedAt: null, companyId: null }
  const plan = (record: RemoteRecord, l: Link) => planPage({
    type: 'deal', records: [record], conflicts: conflictConfigSchema.parse({}), newId: () => 'x',
    links: new Map([['r1', l]]), decisions: [{ kind: 'link', localId: 'l1' }], locals: new Map([['l1', localDeal]]),
  })[0]

  it.each([
    { name: 'a list the CRM has not changed is kept as the app has it', entry: '=1.2', crm: ['2', '1'], keep: true, base: ['1', '2'] },
    { name: 'a list the CRM changed is the CRM’s, with the base for a merge', entry: '=1.2', crm: ['1', '3'], keep: false, base: ['1', '2'] },
    { name: 'an older link’s hash of the same list: kept, base unknown', entry: hashFieldValue(contactsValue(['1', '2'])), crm: ['1', '2'], keep: true, base: null },
    { name: 'an older link’s hash of another list: the CRM’s, base unknown', entry: hashFieldValue(contactsValue(['1'])), crm: ['1', '2'], keep: false, base: null },
  ])('$name', ({ entry, crm, keep, base }) => {
    const p = plan(deal(crm, 'New'), dealLink(entry))
    expect(p.kind).toBe('update')
    expect(p.keepLocal?.contacts).toBe(keep)
    expect(p.contactsBase && [...p.contactsBase].sort()).toEqual(base)
    // The link now remembers the CRM's list itself.
    expect(p.link!.fieldHashes['@contacts']).toBe(contactsEntryOf(crm))
  })

  it('an unchanged deal whose link kept a hash has it replaced by the list', () => {
    const p = plan(deal(['2', '1'], 'Old'), dealLink(hashFieldValue(contactsValue(['1', '2']))))
    expect(p.kind).toBe('unchanged')
    expect(p.link!.fieldHashes['@contacts']).toBe('=1.2')
  })
})
