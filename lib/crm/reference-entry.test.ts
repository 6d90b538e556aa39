import { describe, expect, it } from 'vitest'
import { fieldEntry, referenceEntry, referencedId, sameFieldEntry, sameReference } from './reference-entry'
import { hashFieldValue } from './hash'

describe('referenceEntry', () => {
  it.each([
    ['a HubSpot id', '4711', '#4711'],
    ['none', null, 'empty'],
    ['an empty id', '', 'empty'],
    ['an id that cannot be stored as is', 'a,b:c', hashFieldValue('a,b:c')],
  ])('%s', (_name, id, entry) => {
    expect(referenceEntry(id)).toBe(entry)
  })
})

describe('sameReference', () => {
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
    expect(sameReference(entry, id)).toBe(same)
  })
})

describe('fieldEntry and sameFieldEntry', () => {
  it.each([
    ['the owner: its id', 'ownerRemoteId', '77', '#77'],
    ['any other field: a hash', 'jobTitle', '77', hashFieldValue('77')],
    ['an empty field', 'email', null, 'empty'],
  ])('%s', (_name, field, value, entry) => {
    expect(fieldEntry(field, value)).toBe(entry)
    expect(sameFieldEntry(field, entry, value)).toBe(true)
  })

  it.each([
    ['an owner stored by an older link as a hash', 'ownerRemoteId', hashFieldValue('77'), '77', true],
    ['another owner', 'ownerRemoteId', '#78', '77', false],
    ['another field never matches an id entry', 'jobTitle', '#77', '77', false],
  ])('%s', (_name, field, entry, value, same) => {
    expect(sameFieldEntry(field, entry, value)).toBe(same)
  })
})

describe('referencedId', () => {
  it.each([
    ['an id entry', '#4711', '4711'],
    ['none', 'empty', null],
    ['an older link’s hash', hashFieldValue('4711'), null],
    ['nothing stored', undefined, null],
  ])('%s', (_name, entry, id) => {
    expect(referencedId(entry)).toBe(id)
  })
})
