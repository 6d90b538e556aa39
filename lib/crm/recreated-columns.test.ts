import { describe, expect, it } from 'vitest'
import { compareColumns, entryOfColumn, followedColumns, listEverything } from './recreated-columns'

const m = (o: Record<string, number>) => new Map(Object.entries(o))

describe('compareColumns', () => {
  it.each<{ name: string; recorded: Record<string, number>; now: Record<string, number>; recreated: string[]; record: Record<string, number> }>([
    { name: 'same numbers: nothing', recorded: { phone: 5, email: 4 }, now: { phone: 5, email: 4 }, recreated: [], record: {} },
    { name: 'first look: recorded, nothing re-created', recorded: {}, now: { phone: 5, email: 4 }, recreated: [], record: { phone: 5, email: 4 } },
    { name: 'dropped and added again: a new number', recorded: { phone: 5, email: 4 }, now: { phone: 31, email: 4 }, recreated: ['phone'], record: { phone: 31 } },
    { name: 'missing now (dropped, or renamed away): its number kept', recorded: { phone: 5, email: 4 }, now: { email: 4 }, recreated: [], record: {} },
    { name: 'renamed away and back: the same number, nothing', recorded: { phone: 5, email: 4 }, now: { phone: 5, email: 4 }, recreated: [], record: {} },
    { name: 'missing at the first look: 0, so its coming back counts', recorded: {}, now: { email: 4 }, recreated: [], record: { phone: 0, email: 4 } },
    { name: 'seen missing (0), then added', recorded: { phone: 0, email: 4 }, now: { phone: 31, email: 4 }, recreated: ['phone'], record: { phone: 31 } },
  ])('$name', ({ recorded, now, recreated, record }) => {
    const out = compareColumns(['email', 'phone'], m(recorded), m(now))
    expect(out.recreated).toEqual(recreated)
    expect(Object.fromEntries(out.record)).toEqual(record)
  })

  it('follows the mapped columns, the owner and (contacts, deals) the company', () => {
    expect(followedColumns('contact')).toEqual(expect.arrayContaining(['phone', 'email', 'lifecycle_stage', 'owner_id', 'company_id']))
    expect(followedColumns('deal')).toEqual(expect.arrayContaining(['amount', 'stage', 'owner_id', 'company_id']))
    expect(followedColumns('company')).not.toContain('company_id')
  })

  it.each([
    ['contact', 'phone', 'phone'],
    ['contact', 'owner_id', 'ownerRemoteId'],
    ['contact', 'company_id', '@company'],
    ['deal', 'company_id', '@company'],
    ['deal', 'close_date', 'closeDate'],
  ] as const)('%s.%s is remembered on the link as %s', (type, column, entry) => {
    expect(entryOfColumn(type, column)).toBe(entry)
  })
})

describe('listEverything', () => {
  const now = new Date('2026-12-02T03:00:00Z')
  it.each([
    { name: 'after incremental runs: a listing from the start, begun now',
      cursor: { checkpoint: { watermark: '2026-12-01T00:00:00.000Z', extra: ['hs_x'] }, initialDone: true },
      out: { checkpoint: { full: { after: null, startedAt: now.toISOString() }, extra: ['hs_x'] }, initialDone: true } },
    { name: 'mid incremental window: the window goes (the listing covers it)',
      cursor: { checkpoint: { watermark: '2026-12-01T00:00:00.000Z', window: { since: '2026-12-01T00:00:00.000Z', after: '200' } }, initialDone: true },
      out: { checkpoint: { full: { after: null, startedAt: now.toISOString() } }, initialDone: true } },
    { name: 'a listing under way: from the start again, as begun when it was',
      cursor: { checkpoint: { full: { after: '500', startedAt: '2026-12-01T00:00:00.000Z' } }, initialDone: false },
      out: { checkpoint: { full: { after: null, startedAt: '2026-12-01T00:00:00.000Z' } }, initialDone: false } },
  ])('$name', ({ cursor, out }) => expect(listEverything(cursor, now)).toEqual(out))
})
