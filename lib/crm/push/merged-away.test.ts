import { describe, expect, it } from 'vitest'
import type { RemoteRecord } from '../types'
import { mergedAwayOf } from './merged-away'

const record = (remoteId: string, mergedRemoteIds?: string[]): RemoteRecord =>
  ({ remoteId, fields: {}, updatedAt: new Date(0), createdAt: new Date(0), archived: false, mergedRemoteIds })

describe('mergedAwayOf', () => {
  it.each<{ name: string; requested: string[]; read: RemoteRecord[]; expected: Array<[string, string]> }>([
    { name: 'every id read as itself: none merged away', requested: ['1', '2'], read: [record('1'), record('2', ['9'])], expected: [] },
    { name: 'an id answered by its survivor', requested: ['1', '2'], read: [record('1'), record('7', ['2', '9'])], expected: [['2', '7']] },
    { name: 'an id not found (deleted): not merged away', requested: ['1'], read: [], expected: [] },
    // Both go: the survivor's own archive takes it, the merged-away id's adds nothing.
    { name: 'the survivor requested too: nothing held back', requested: ['7', '2'], read: [record('7', ['2'])], expected: [] },
  ])('$name', ({ requested, read, expected }) => expect([...mergedAwayOf(requested, read)]).toEqual(expected))
})
