import { describe, expect, it } from 'vitest'
import { emptyLeadsText, leadCountText, leadsPaging, type LeadsListState, type LeadsPaging } from './leads-text'

// The count beside the list and the line instead of rows must tell the same story.
describe('the leads list count and empty line', () => {
  it.each<[string, LeadsListState, string, string | null]>([
    ['no search', { total: 254, matching: 254, shown: 25 }, '254 contacts', null],
    ['one contact', { total: 1, matching: 1, shown: 1 }, '1 contact', null],
    ['a search with no match', { q: 'zz', total: 254, matching: 0, shown: 0 }, '0 of 254 contacts match', 'No contacts match “zz”.'],
    ['a search with matches', { q: 'ada', total: 254, matching: 3, shown: 3 }, '3 of 254 contacts match', null],
    ['a search whose matches are on earlier pages (?page= past the last)', { q: 'ada', total: 254, matching: 3, shown: 0 }, '3 of 254 contacts match', 'No contacts on this page.'],
    ['no search, a page past the last', { total: 254, matching: 254, shown: 0 }, '254 contacts', 'No contacts on this page.'],
    ['no contacts yet', { total: 0, matching: 0, shown: 0 }, '0 contacts', 'No contacts yet: they appear here as a sync brings them in from HubSpot, or add one with Add lead.'],
    ['a large workspace: figures grouped', { total: 1_000_000, matching: 1_000_000, shown: 25 }, '1,000,000 contacts', null],
    ['a search whose count stopped at its cap', { q: 'ab', total: 1_000_000, matching: 10_000, more: true, shown: 25 }, '10,000+ of 1,000,000 contacts match', null],
    ['a search with exactly the cap', { q: 'ab', total: 1_000_000, matching: 10_000, more: false, shown: 25 }, '10,000 of 1,000,000 contacts match', null],
  ])('%s', (_name, state, count, empty) => {
    expect(leadCountText(state)).toBe(count)
    expect(emptyLeadsText(state)).toBe(empty)
  })
})

// The pages below the list: a search's count may stop short of all its matches (countMatchingLeads).
describe('the leads list pages', () => {
  it.each<[string, LeadsListState, number, LeadsPaging | null]>([
    ['all on one page', { total: 20, matching: 20, shown: 20 }, 1, null],
    ['the first of three', { total: 60, matching: 60, shown: 25 }, 1, { range: '1–25 of 60', newer: null, older: 2 }],
    ['the last', { total: 60, matching: 60, shown: 10 }, 3, { range: '51–60 of 60', newer: 2, older: null }],
    ['past the last (an old link): back to the last', { total: 60, matching: 60, shown: 0 }, 7, { range: 'page 7 of 3', newer: 3, older: null }],
    ['a search whose count stopped', { q: 'ab', total: 1_000_000, matching: 10_000, more: true, shown: 25 }, 1,
      { range: '1–25 of 10,000+', newer: null, older: 2 }],
    ['the last page the cap reaches, more beyond', { q: 'ab', total: 1_000_000, matching: 10_000, more: true, shown: 25 }, 400,
      { range: '9,976–10,000 of 10,000+', newer: 399, older: 401 }],
    ['past the cap: the count went as far as the page, and more beyond', { q: 'ab', total: 1_000_000, matching: 10_025, more: true, shown: 25 }, 401,
      { range: '10,001–10,025 of 10,025+', newer: 400, older: 402 }],
    ['past the cap, the last page: the count is exact there', { q: 'ab', total: 1_000_000, matching: 10_030, shown: 25 }, 401,
      { range: '10,001–10,025 of 10,030', newer: 400, older: 402 }],
    ['a search with no match', { q: 'zz', total: 60, matching: 0, shown: 0 }, 1, null],
    ['the last page ?page= takes', { q: 'ab', total: 1_000_000, matching: 250_000, more: true, shown: 25 }, 10_000,
      { range: '249,976–250,000 of 250,000+', newer: 9_999, older: null }],
  ])('%s', (_name, state, page, paging) => {
    expect(leadsPaging(state, page)).toEqual(paging)
  })
})
