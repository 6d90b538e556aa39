import { describe, expect, it } from 'vitest'
import { conflictsHref, conflictsPage, conflictsPageSchema } from './conflicts-query'

describe('conflictsPageSchema', () => {
  it.each([
    [undefined, 1], ['2', 2], [['3', '4'], 3], ['0', 1], ['-1', 1], ['x', 1], ['1.5', 1], ['10001', 1],
  ])('reads ?conflicts_page=%j as page %i', (v, page) => {
    expect(conflictsPageSchema.parse(v)).toBe(page)
  })
})

describe('conflictsPage', () => {
  it.each([
    [1, 0, 1], [1, 61, 1], [2, 61, 2], [3, 61, 2], [2, 50, 1], [2, 51, 2],
  ])('page %i of %i open conflicts shows page %i', (asked, total, page) => {
    expect(conflictsPage(asked, total)).toBe(page)
  })
})

describe('conflictsHref', () => {
  it.each([
    [{ q: undefined, page: 1 }, 1, '/#conflicts'],
    [{ q: undefined, page: 1 }, 2, '/?conflicts_page=2#conflicts'],
    [{ q: 'ada & co', page: 3 }, 2, '/?q=ada+%26+co&page=3&conflicts_page=2#conflicts'],
    [{ q: 'ada', page: 1 }, 1, '/?q=ada#conflicts'],
  ])('%j, page %i → %s', (leads, page, href) => {
    expect(conflictsHref(leads, page)).toBe(href)
  })
})
