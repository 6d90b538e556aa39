import { describe, expect, it } from 'vitest'
import { emptyLeadsText, leadCountText, type LeadsListState } from './leads-text'

// The count beside the list and the line instead of rows must tell the same story.
describe('the leads list count and empty line', () => {
  it.each<[string, LeadsListState, string, string | null]>([
    ['no search', { total: 254, matching: 254, shown: 25 }, '254 contacts', null],
    ['one contact', { total: 1, matching: 1, shown: 1 }, '1 contact', null],
    ['a search with no match', { q: 'zz', total: 254, matching: 0, shown: 0 }, '0 of 254 contacts match', 'No contacts match “zz”.'],
    ['a search with matches', { q: 'ada', total: 254, matching: 3, shown: 3 }, '3 of 254 contacts match', null],
    ['a search whose matches are on earlier pages (?page= past the last)', { q: 'ada', total: 254, matching: 3, shown: 0 }, '3 of 254 contacts match', 'No contacts on this page.'],
    ['no search, a page past the last', { total: 254, matching: 254, shown: 0 }, '254 contacts', 'No contacts on this page.'],
    ['no contacts yet', { total: 0, matching: 0, shown: 0 }, '0 contacts', 'No contacts yet — they appear here as soon as the first sync page lands.'],
  ])('%s', (_name, state, count, empty) => {
    expect(leadCountText(state)).toBe(count)
    expect(emptyLeadsText(state)).toBe(empty)
  })
})
