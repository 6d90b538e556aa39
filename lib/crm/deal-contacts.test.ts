import { describe, expect, it } from 'vitest'
import { contactsBase, contactsEntry, contactsValue, mergeContacts, pulledDealContacts, sameContacts } from './deal-contacts'
import { hashFieldValue } from './hash'

const set = (...ids: string[]) => new Set(ids)
const sorted = (s: Set<string>) => [...s].sort()

describe('the stored entry', () => {
  it.each([
    { ids: ['102', '101'], entry: '=101.102' },
    { ids: ['101', '101'], entry: '=101' },
    { ids: [], entry: '=' },
    { ids: ['a_1-B'], entry: '=a_1-B' },
  ])('$ids is kept as the list $entry, and read back', ({ ids, entry }) => {
    expect(contactsEntry(ids)).toBe(entry)
    expect(sorted(contactsBase(entry)!)).toEqual([...new Set(ids)].sort())
    expect(sameContacts(entry, [...ids].reverse())).toBe(true)
  })

  it('an id that cannot be stored as is falls back to the hash: the base is then unknown', () => {
    const entry = contactsEntry(['1.5', '2'])
    expect(entry).toBe(hashFieldValue(contactsValue(['1.5', '2'])))
    expect(contactsBase(entry)).toBeNull()
    expect(sameContacts(entry, ['2', '1.5'])).toBe(true)
  })

  it.each([
    { name: 'an older link’s hash of the same list', entry: hashFieldValue(contactsValue(['2', '1'])), ids: ['1', '2'], same: true, base: null },
    { name: 'an older link’s hash of another list', entry: hashFieldValue(contactsValue(['1'])), ids: ['1', '2'], same: false, base: null },
    { name: 'an older link’s hash of no contacts', entry: hashFieldValue(null), ids: [], same: true, base: null },
    { name: 'a list that differs', entry: '=1.2', ids: ['1', '3'], same: false, base: ['1', '2'] },
    { name: 'no entry at all', entry: undefined, ids: [], same: false, base: null },
  ])('$name: same = $same, base $base', ({ entry, ids, same, base }) => {
    expect(sameContacts(entry, ids)).toBe(same)
    const read = contactsBase(entry)
    expect(read && sorted(read)).toEqual(base)
  })
})

describe('mergeContacts (local, CRM, base)', () => {
  it.each([
    { name: 'nobody changed anything', local: ['1', '2'], remote: ['1', '2'], base: ['1', '2'], out: ['1', '2'] },
    { name: 'the app added one', local: ['1', '2', '3'], remote: ['1', '2'], base: ['1', '2'], out: ['1', '2', '3'] },
    { name: 'the app took one off', local: ['1'], remote: ['1', '2'], base: ['1', '2'], out: ['1'] },
    { name: 'a rep added one', local: ['1', '2'], remote: ['1', '2', '4'], base: ['1', '2'], out: ['1', '2', '4'] },
    { name: 'a rep took one off', local: ['1', '2'], remote: ['1'], base: ['1', '2'], out: ['1'] },
    { name: 'the app took one off, a rep added another', local: ['2', '3'], remote: ['1', '2', '4'], base: ['1', '2'], out: ['2', '3', '4'] },
    { name: 'both took the same one off', local: ['1'], remote: ['1'], base: ['1', '2'], out: ['1'] },
    { name: 'both added the same one', local: ['1', '5'], remote: ['1', '5'], base: ['1'], out: ['1', '5'] },
    { name: 'the app took one off that a rep had also taken off and put back', local: ['1'], remote: ['1', '2'], base: ['1', '2'], out: ['1'] },
    { name: 'everything taken off on one side', local: [], remote: ['1', '2'], base: ['1', '2'], out: [] },
    { name: 'no base (an older link): nothing counts as removed', local: ['2', '3'], remote: ['1', '2'], base: null, out: ['1', '2', '3'] },
  ])('$name', ({ local, remote, base, out }) => {
    expect(sorted(mergeContacts(local, remote, base ? new Set(base) : null))).toEqual(out)
  })
})

describe('pulledDealContacts', () => {
  it.each([
    {
      name: 'a deal without an unpushed edit takes the CRM’s list',
      deals: [{ dealId: 'd1', remote: ['1', '4'], base: set('1', '2') }], pending: set(),
      out: { replace: ['d1'], add: [{ dealId: 'd1', remoteId: '1' }, { dealId: 'd1', remoteId: '4' }], remove: [] },
    },
    {
      name: 'an unpushed edit keeps the app’s changes and takes the rep’s: 4 added, 2 taken off',
      deals: [{ dealId: 'd1', remote: ['1', '4'], base: set('1', '2') }], pending: set('d1'),
      out: { replace: [], add: [{ dealId: 'd1', remoteId: '4' }], remove: [{ dealId: 'd1', remoteId: '2' }] },
    },
    {
      name: 'an unpushed edit with no base (an older link) only gains the CRM’s contacts',
      deals: [{ dealId: 'd1', remote: ['1', '4'], base: null }], pending: set('d1'),
      out: { replace: [], add: [{ dealId: 'd1', remoteId: '1' }, { dealId: 'd1', remoteId: '4' }], remove: [] },
    },
    {
      name: 'a deal whose contacts all went in the CRM is emptied',
      deals: [{ dealId: 'd1', remote: [], base: set('1') }], pending: set(),
      out: { replace: ['d1'], add: [], remove: [] },
    },
  ])('$name', ({ deals, pending, out }) => {
    expect(pulledDealContacts(deals, pending)).toEqual(out)
  })
})
