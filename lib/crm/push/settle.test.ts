import { describe, expect, it } from 'vitest'
import { emptyCounts, type RecordError } from '../../store/runs'
import { claimFound, type Holder, type PushOutcome } from './settle'

const change = (localId: string, entryIds: number[]) => ({ localId, entryIds, deleted: false, columns: new Set<string>() })
const outcome = (found: PushOutcome['found'], createdLinks: Array<[string, string]> = []): PushOutcome => ({
  acks: [], fails: [], found, again: [],
  links: new Map(createdLinks.map(([localId, remoteId]) => [localId, { localId, remoteId, remoteUpdatedAt: new Date(0), syncedHash: '', fieldHashes: {},
    origin: 'app' as const, matchReason: 'pushed' as const, direction: 'push' as const }])),
})

describe('claimFound', () => {
  it.each([
    { name: 'a record HubSpot has and the app does not hold is linked and looked at again', holders: [], created: [],
      linked: ['a'], failed: [] },
    { name: 'one the app holds as another record fails naming it, and is not linked', holders: [['10021', { localId: 'x', name: 'Aisha Lopez' }]], created: [],
      linked: [], failed: ['HubSpot already has this email on contact 10021, which the app holds as another record, Aisha Lopez (x): merge the two in the app or change the email'] },
    { name: 'one the app holds as this very record is linked', holders: [['10021', { localId: 'a', name: null }]], created: [],
      linked: ['a'], failed: [] },
    { name: 'one another record of the same call was just created as fails', holders: [], created: [['n', '10021']],
      linked: ['n'], failed: ['HubSpot already has this email on contact 10021, which the app holds as another record, n: merge the two in the app or change the email'] },
  ] as Array<{ name: string; holders: Array<[string, Holder]>; created: Array<[string, string]>; linked: string[]; failed: string[] }>)('$name', ({ holders, created, linked, failed }) => {
    const out = outcome([{ change: change('a', [1, 2]), remoteId: '10021' }], created)
    const counts = emptyCounts()
    const errors: RecordError[] = []
    claimFound('contact', out, new Map(holders), counts, errors)
    expect([...out.links.keys()]).toEqual(linked)
    expect(out.fails.map((f) => f.error)).toEqual(failed.flatMap((e) => [e, e]))
    expect(counts.failed).toBe(failed.length)
    expect(errors).toEqual(failed.map((message) => ({ localId: 'a', message })))
    expect(out.again.map((f) => f.change.localId)).toEqual(failed.length ? [] : ['a'])
    expect(out.found).toEqual([])
  })

  it('two records finding the same HubSpot record in one call: the first is linked, the second fails naming it', () => {
    const out = outcome([{ change: change('a', [1]), remoteId: '7' }, { change: change('b', [2]), remoteId: '7' }])
    claimFound('contact', out, new Map(), emptyCounts(), [])
    expect([...out.links.keys()]).toEqual(['a'])
    expect(out.fails).toEqual([{ id: 2, error: expect.stringContaining('on contact 7, which the app holds as another record, a:') }])
  })
})
