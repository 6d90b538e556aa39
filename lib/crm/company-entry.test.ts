import { describe, expect, it } from 'vitest'
import { companyEntry, sameCompany } from './company-entry'
import { hashFieldValue } from './hash'

describe('companyEntry', () => {
  it.each([
    ['a HubSpot id', '4711', '#4711'],
    ['none', null, 'empty'],
    ['an empty id', '', 'empty'],
    ['an id that cannot be stored as is', 'a,b:c', hashFieldValue('a,b:c')],
  ])('%s', (_name, id, entry) => {
    expect(companyEntry(id)).toBe(entry)
  })
})

describe('sameCompany', () => {
  it.each([
    ['the id, stored as the id', '#4711', '4711', true],
    ['the id, stored as an older link’s hash', hashFieldValue('4711'), '4711', true],
    ['another id', '#4712', '4711', false],
    ['another id’s hash', hashFieldValue('4712'), '4711', false],
    ['none, stored as none', 'empty', null, true],
    ['none, stored as an id', '#4711', null, false],
    ['an id, stored as none', 'empty', '4711', false],
    ['nothing stored', undefined, '4711', false],
  ])('%s', (_name, entry, id, same) => {
    expect(sameCompany(entry, id)).toBe(same)
  })
})
