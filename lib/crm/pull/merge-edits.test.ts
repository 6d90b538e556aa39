import { describe, expect, it } from 'vitest'
import { conflictConfigSchema, type Strategy } from '../conflicts/config'
import { hashFieldValue } from '../hash'
import { CANONICAL_FIELDS, type Fields, type ObjectType, type RemoteRecord } from '../types'
import type { Link } from '../../store/links'
import type { LocalRecord } from '../../store/records'
import { carriedCompany, carriedContactsBase, carriedEdits, combineCarried, heldOnSurvivor, identityOnSurvivor, unpushedFields, type CarriedEdits, type LinkedLocal, type LocalCompany } from './merge-edits'
import { contentHash, planPage } from './plan'

const T0 = new Date('2026-01-01T00:00:00Z')
const T1 = new Date('2026-01-02T00:00:00Z')
const T2 = new Date('2026-01-03T00:00:00Z')
const T3 = new Date('2026-01-04T00:00:00Z')

const empty: Fields = Object.fromEntries(CANONICAL_FIELDS.contact.map((f) => [f, null]))
const fields = (over: Fields): Fields => ({ ...empty, email: 'ada@example.com', ...over })
const entries = (f: Fields) => Object.fromEntries(CANONICAL_FIELDS.contact.map((k) => [k, hashFieldValue(f[k])]))
/** A linked local record: `synced` is what its link remembers, `now` what the app holds. */
const linked = (synced: Fields, now: Fields = {}, updatedAt = T0): LinkedLocal =>
  ({ fields: fields({ ...synced, ...now }), updatedAt, base: entries(fields(synced)) })

describe('unpushedFields', () => {
  it.each([
    { name: 'nothing edited since the last sync', rec: linked({ jobTitle: 'CTO' }), expected: [] },
    { name: 'an edited field', rec: linked({ jobTitle: 'CTO' }, { jobTitle: 'VP' }), expected: ['jobTitle'] },
    { name: 'a field cleared', rec: linked({ jobTitle: 'CTO' }, { jobTitle: null }), expected: ['jobTitle'] },
    { name: 'a field the CRM keeps is never an edit', rec: linked({}, { lastActivityAt: '2026-01-01T00:00:00.000Z' }), expected: [] },
    { name: 'a field the link has no entry for is not taken for an edit', rec: { ...linked({}, { jobTitle: 'VP' }), base: {} }, expected: [] },
  ])('$name', ({ rec, expected }) => expect(unpushedFields('contact', rec)).toEqual(expected))
})

describe('carriedEdits', () => {
  it.each<{ name: string; gone: LinkedLocal; survivor: LinkedLocal; crm: Fields; expected: CarriedEdits }>([
    { name: 'the merged-away record\'s edit, with when it was made', gone: linked({ jobTitle: 'Old' }, { jobTitle: 'App' }, T1),
      survivor: linked({ jobTitle: 'Boss' }), crm: fields({ jobTitle: 'Boss' }),
      expected: { fields: { jobTitle: { value: 'App', at: T1 } }, base: {} } },
    { name: 'the survivor holds the value the edit replaced (filled in by the merge): that value is the base',
      gone: linked({ jobTitle: 'Old' }, { jobTitle: 'App' }, T1), survivor: linked({}), crm: fields({ jobTitle: 'Old' }),
      expected: { fields: { jobTitle: { value: 'App', at: T1 } }, base: { jobTitle: hashFieldValue('Old') } } },
    { name: 'nothing unpushed: nothing carried', gone: linked({ jobTitle: 'Old' }), survivor: linked({}), crm: fields({ jobTitle: 'Old' }),
      expected: { fields: {}, base: {} } },
    { name: 'the app edited the same field of the survivor later: the survivor\'s stands',
      gone: linked({}, { jobTitle: 'App' }, T1), survivor: linked({}, { jobTitle: 'Later' }, T2), crm: fields({}), expected: { fields: {}, base: {} } },
    { name: 'the app edited the same field of the survivor earlier: the later edit is carried',
      gone: linked({}, { jobTitle: 'App' }, T2), survivor: linked({}, { jobTitle: 'Earlier' }, T1), crm: fields({}),
      expected: { fields: { jobTitle: { value: 'App', at: T2 } }, base: { jobTitle: hashFieldValue(null) } } },
  ])('$name', ({ gone, survivor, crm, expected }) => expect(carriedEdits('contact', gone, survivor, crm)).toEqual(expected))

  it('two records merged into one: per field, the later edit, with its base', () => {
    const a: CarriedEdits = { fields: { jobTitle: { value: 'A', at: T1 }, firstName: { value: 'Ann', at: T1 } }, base: { jobTitle: 'h-a' } }
    const b: CarriedEdits = { fields: { jobTitle: { value: 'B', at: T2 } }, base: {} }
    expect(combineCarried(combineCarried(undefined, a), b)).toEqual({ fields: { jobTitle: b.fields.jobTitle, firstName: a.fields.firstName }, base: {} })
    expect(combineCarried(b, a)).toEqual({ fields: { jobTitle: b.fields.jobTitle, firstName: a.fields.firstName }, base: {} })
  })
})

describe('heldOnSurvivor', () => {
  const carried = (value: string | null, base?: string): CarriedEdits =>
    ({ fields: { jobTitle: { value, at: T1 } }, base: base === undefined ? {} : { jobTitle: base } })
  const survivorBase = entries(fields({ jobTitle: 'Boss' }))
  it.each<{ name: string; edits: CarriedEdits; held: string[]; crm: Fields; base?: Record<string, string>; expected: string[] }>([
    { name: 'held on the merged-away record, and HubSpot changed the survivor\'s value: held', edits: carried('App'), held: ['jobTitle'],
      crm: fields({ jobTitle: 'Rep' }), expected: ['jobTitle'] },
    { name: 'not held: weighed as any carried edit', edits: carried('App'), held: ['firstName'], crm: fields({ jobTitle: 'Rep' }), expected: [] },
    { name: 'held, but the survivor still holds what was last synced: nothing to ask, the edit goes', edits: carried('App'), held: ['jobTitle'],
      crm: fields({ jobTitle: 'Boss' }), expected: [] },
    { name: 'held, the survivor holds the value the edit replaced (the carried base): the edit goes', edits: carried('App', hashFieldValue('Old')),
      held: ['jobTitle'], crm: fields({ jobTitle: 'Old' }), expected: [] },
    { name: 'held, the survivor already holds the app\'s value: nothing to ask', edits: carried('App'), held: ['jobTitle'], crm: fields({ jobTitle: 'App' }), expected: [] },
    { name: 'held, the survivor\'s link has no entry for it (no sync history): held', edits: carried('App'), held: ['jobTitle'],
      crm: fields({ jobTitle: 'Rep' }), base: {}, expected: ['jobTitle'] },
    { name: 'held but not carried (the app edited the survivor\'s field later): nothing', edits: { fields: {}, base: {} }, held: ['jobTitle'],
      crm: fields({ jobTitle: 'Rep' }), expected: [] },
  ])('$name', ({ edits, held, crm, base, expected }) =>
    expect(heldOnSurvivor('contact', edits, new Set(held), base ?? survivorBase, crm)).toEqual(expected))
})

describe('identityOnSurvivor', () => {
  const carried = (f: string, value: string | null, base?: string): CarriedEdits =>
    ({ fields: { [f]: { value, at: T1 } }, base: base === undefined ? {} : { [f]: base } })
  it.each<{ name: string; type?: ObjectType; edits: CarriedEdits; crm: Fields; expected: string[] }>([
    { name: 'the survivor has its own email: held', edits: carried('email', 'x.new@example.com'), crm: fields({ email: 'b@example.com' }), expected: ['email'] },
    { name: 'the survivor has its own phone: held', edits: carried('phone', '+12025550199'), crm: fields({ phone: '+12025550143' }), expected: ['phone'] },
    { name: 'the survivor has no phone: the edit goes', edits: carried('phone', '+12025550199'), crm: fields({ phone: null }), expected: [] },
    { name: 'the survivor holds the value the edit replaced (HubSpot filled it in): the edit goes',
      edits: carried('phone', '+12025550199', hashFieldValue('+12025550188')), crm: fields({ phone: '+12025550188' }), expected: [] },
    { name: 'the survivor already holds the app\'s value: nothing to ask', edits: carried('email', 'b@example.com'), crm: fields({ email: 'b@example.com' }), expected: [] },
    { name: 'not an identity field: weighed as any carried edit', edits: carried('jobTitle', 'App'), crm: fields({ jobTitle: 'Boss' }), expected: [] },
    // A company's domain is who it is in HubSpot, as a contact's email is.
    { name: 'a company: the survivor has its own domain: held', type: 'company', edits: carried('domain', 'new.test'),
      crm: { name: 'Kept', domain: 'own.test' }, expected: ['domain'] },
    { name: 'a company: the survivor has no domain: the edit goes', type: 'company', edits: carried('domain', 'new.test'),
      crm: { name: 'Kept', domain: null }, expected: [] },
    { name: 'a company: the survivor holds the domain the edit replaced (HubSpot filled it in): the edit goes', type: 'company',
      edits: carried('domain', 'new.test', hashFieldValue('old.test')), crm: { domain: 'old.test' }, expected: [] },
    { name: 'a company: the survivor already holds the app\'s domain: nothing to ask', type: 'company', edits: carried('domain', 'new.test'),
      crm: { domain: 'new.test' }, expected: [] },
    { name: 'a company\'s phone is not who it is: weighed as any carried edit', type: 'company', edits: carried('phone', '+12025550199'),
      crm: { phone: '+12025550143' }, expected: [] },
    { name: 'a company\'s name: weighed as any carried edit', type: 'company', edits: carried('name', 'App Co'), crm: { name: 'Kept' }, expected: [] },
    { name: 'a deal has none', type: 'deal', edits: carried('name', 'App deal'), crm: { name: 'Kept' }, expected: [] },
  ])('$name', ({ type, edits, crm, expected }) => expect(identityOnSurvivor(type ?? 'contact', edits, crm)).toEqual(expected))
})

describe('carriedCompany', () => {
  const company = (over: Partial<LocalCompany> = {}): LocalCompany => ({ companyId: null, pending: false, updatedAt: T0, entry: '#10', ...over })
  it.each<{ name: string; gone: LocalCompany; survivor: LocalCompany; crm: string | null | undefined; expected: ReturnType<typeof carriedCompany> }>([
    { name: 'no company change waiting: nothing', gone: company({ companyId: 'c-new' }), survivor: company(), crm: '10', expected: undefined },
    { name: 'the same company on both: nothing', gone: company({ companyId: 'c1', pending: true }), survivor: company({ companyId: 'c1' }), crm: '10', expected: undefined },
    { name: 'a change waiting, the survivor\'s company moved over from the merged-away one: carried, that company as the base',
      gone: company({ companyId: 'c-new', pending: true, updatedAt: T1, entry: '#10' }), survivor: company({ entry: '#20' }), crm: '10',
      expected: { companyId: 'c-new', base: '#10' } },
    { name: 'a change waiting, the survivor has its own company in HubSpot: carried, weighed against it',
      gone: company({ companyId: 'c-new', pending: true, updatedAt: T1 }), survivor: company({ entry: '#20' }), crm: '20', expected: { companyId: 'c-new' } },
    { name: 'taken off: carried as none', gone: company({ companyId: null, pending: true, updatedAt: T1 }), survivor: company({ companyId: 'c2', entry: '#20' }), crm: '10',
      expected: { companyId: null, base: '#10' } },
    { name: 'the app changed the survivor\'s company later: the survivor\'s stands',
      gone: company({ companyId: 'c-new', pending: true, updatedAt: T1 }), survivor: company({ companyId: 'c-own', pending: true, updatedAt: T2 }), crm: '10', expected: undefined },
  ])('$name', ({ gone, survivor, crm, expected }) => expect(carriedCompany(gone, survivor, crm)).toEqual(expected))
})

describe('carriedContactsBase', () => {
  it.each([
    { name: 'both lists known: both deals\' contacts, as HubSpot moves them over', gone: '=2.3', survivor: '=1', expected: '=1.2.3' },
    { name: 'a contact on both deals is listed once', gone: '=1.2', survivor: '=1', expected: '=1.2' },
    { name: 'the merged-away deal had none', gone: '=', survivor: '=1', expected: '=1' },
    { name: 'the merged-away deal\'s list unknown (a hash): the survivor\'s entry stands', gone: hashFieldValue('2,3'), survivor: '=1', expected: undefined },
    { name: 'the survivor\'s list unknown', gone: '=2', survivor: undefined, expected: undefined },
  ])('$name', ({ gone, survivor, expected }) => expect(carriedContactsBase(gone, survivor)).toEqual(expected))
})

describe('the planner weighs carried edits as the app\'s edits of the survivor', () => {
  // The survivor's local record, last synced with jobTitle 'Boss' (link l1 → r1).
  const synced = fields({ jobTitle: 'Boss' })
  const link: Link = { localId: 'l1', remoteId: 'r1', remoteUpdatedAt: T0, syncedHash: 'old', fieldHashes: entries(synced), origin: 'crm', archivedAt: null, lastDirection: 'pull' }
  const crm = (jobTitle: string): RemoteRecord => ({ remoteId: 'r1', fields: fields({ jobTitle }), updatedAt: T2, createdAt: T0, archived: false })
  const survivorLocal: LocalRecord = { id: 'l1', source: 'crm', fields: synced, updatedAt: T3, archivedAt: null, companyId: null }
  const plan = (record: RemoteRecord, carried: CarriedEdits | undefined, strategy: Strategy = 'timestamp_based') => planPage({
    type: 'contact', records: [record], conflicts: conflictConfigSchema.parse({ strategy }), newId: () => 'x',
    links: new Map([['r1', { ...link, syncedHash: contentHash(record) }]]), decisions: [{ kind: 'link', localId: 'l1' }],
    locals: new Map([['l1', survivorLocal]]), carried: carried ? new Map([['l1', carried]]) : undefined,
  })[0]

  it.each<{ name: string; record: RemoteRecord; carried?: CarriedEdits; strategy?: Strategy; kind: string; jobTitle?: string | null; toRemote?: string[]; conflict?: string[] }>([
    { name: 'without carried edits, the same content is unchanged', record: crm('Boss'), kind: 'unchanged' },
    { name: 'the survivor\'s value unchanged since the last sync: the edit is written and queued for HubSpot',
      record: crm('Boss'), carried: { fields: { jobTitle: { value: 'App', at: T1 } }, base: {} }, kind: 'update', jobTitle: 'App', toRemote: ['jobTitle'] },
    { name: 'the survivor holds the value the edit replaced: the edit goes, even under manual_review', strategy: 'manual_review',
      record: crm('Old'), carried: { fields: { jobTitle: { value: 'App', at: T1 } }, base: { jobTitle: hashFieldValue('Old') } }, kind: 'update', jobTitle: 'App', toRemote: ['jobTitle'] },
    { name: 'the survivor\'s value changed too, under manual_review: a conflict, the app\'s side kept locally', strategy: 'manual_review',
      record: crm('Rep'), carried: { fields: { jobTitle: { value: 'App', at: T1 } }, base: {} }, kind: 'update', jobTitle: 'App', conflict: ['jobTitle'] },
    // The survivor's local record was written at T3, after HubSpot's change (T2): the edit's own time (T1) is weighed.
    { name: 'the survivor\'s value changed later than the edit was made, under timestamp_based: HubSpot\'s wins',
      record: crm('Rep'), carried: { fields: { jobTitle: { value: 'App', at: T1 } }, base: {} }, kind: 'update', jobTitle: 'Rep' },
    { name: 'the edit was made after the survivor\'s value changed, under timestamp_based: the edit wins',
      record: crm('Rep'), carried: { fields: { jobTitle: { value: 'App', at: T3 } }, base: {} }, kind: 'update', jobTitle: 'App', toRemote: ['jobTitle'] },
  ])('$name', (c) => {
    const p = plan(c.record, c.carried, c.strategy)
    expect(p.kind).toBe(c.kind)
    if (c.jobTitle !== undefined) expect(p.write?.jobTitle).toBe(c.jobTitle)
    expect(p.toRemote).toEqual(c.toRemote)
    expect(p.conflict?.fields).toEqual(c.conflict)
  })
})
