import { describe, expect, it } from 'vitest'
import { missingExtraProperties } from './settings'

const chosen = (c: Partial<Record<'contact' | 'company' | 'deal', string[]>>) => ({ contact: [], company: [], deal: [], ...c })

describe('missingExtraProperties', () => {
  it.each([
    ['nothing found missing', chosen({ contact: ['a'] }), {}, {}],
    ['a chosen name found missing', chosen({ contact: ['a', 'b'] }), { contact: ['b'] }, { contact: ['b'] }],
    ['a name since taken off the list', chosen({ contact: ['a'] }), { contact: ['b'] }, {}],
    ['a type no longer reading any', chosen({}), { deal: ['x'] }, {}],
    ['several types, in the list\'s order', chosen({ contact: ['c', 'a'], deal: ['x'] }), { contact: ['a', 'c'], deal: ['x'], company: ['y'] }, { contact: ['c', 'a'], deal: ['x'] }],
  ])('%s', (_, list, missing, expected) => {
    expect(missingExtraProperties(list, missing)).toEqual(expected)
  })
})
