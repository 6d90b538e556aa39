import { describe, expect, it } from 'vitest'
import { missingExtraProperties, parseSettings, settingsChangeSchema } from './settings'

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

describe('defaultCountry', () => {
  it.each([
    ['gb', 'GB'], ['US', 'US'], ['de', 'DE'],
    ['UK', /"UK" is not a country code for phone numbers \(ISO 3166 alpha-2: GB for the United Kingdom/],
    ['XX', /"XX" is not a country code/],
    ['USA', /two-letter/], ['1', /two-letter/],
  ])('a change to %j → %s', (input, expected) => {
    const parsed = settingsChangeSchema.safeParse({ defaultCountry: input })
    if (typeof expected === 'string') expect(parsed.data?.defaultCountry).toBe(expected)
    else expect(parsed.error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(expected)])
  })

  // Stored before the change schema checked the country: read as unset, never a parse failure.
  it.each([
    [undefined, undefined], ['GB', 'GB'], ['gb', 'GB'], ['UK', undefined], ['XX', undefined], ['USA', undefined], ['', undefined],
  ])('stored %j reads as %j', (stored, expected) => {
    expect(parseSettings(stored === undefined ? {} : { defaultCountry: stored }).defaultCountry).toBe(expected)
  })
})
