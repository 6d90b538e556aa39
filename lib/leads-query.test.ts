import { describe, expect, it } from 'vitest'
import { leadsHref, leadsQuerySchema } from './leads-query'

describe('leadsQuerySchema', () => {
  it.each([
    { name: 'nothing', params: {}, out: { q: undefined, page: 1 } },
    { name: 'a search and a page', params: { q: '  acme ', page: '3' }, out: { q: 'acme', page: 3 } },
    { name: 'an empty search', params: { q: '   ' }, out: { q: undefined, page: 1 } },
    { name: 'a repeated parameter takes the first', params: { q: ['a', 'b'], page: ['2', '9'] }, out: { q: 'a', page: 2 } },
    { name: 'a page that is not a page', params: { page: 'x' }, out: { q: undefined, page: 1 } },
    { name: 'page 0 or past the last allowed', params: { page: '0' }, out: { q: undefined, page: 1 } },
    { name: 'a fractional page', params: { page: '1.5' }, out: { q: undefined, page: 1 } },
    { name: 'a search too long to be one', params: { q: 'x'.repeat(201) }, out: { q: undefined, page: 1 } },
    { name: 'a search with a NUL character', params: { q: 'a\u0000b' }, out: { q: undefined, page: 1 } },
  ])('$name', ({ params, out }) => {
    expect(leadsQuerySchema.parse(params)).toEqual(out)
  })
})

describe('leadsHref', () => {
  it.each([
    { q: { q: undefined, page: 1 }, href: '/#leads' },
    { q: { q: 'a&b', page: 1 }, href: '/?q=a%26b#leads' },
    { q: { q: 'acme', page: 2 }, href: '/?q=acme&page=2#leads' },
  ])('$href', ({ q, href }) => {
    expect(leadsHref(q)).toBe(href)
  })
})
