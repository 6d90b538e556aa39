import { describe, expect, it } from 'vitest'
import { EMPTY_FIELD_HASH, hashFieldValue, hashFieldValues, hashFields } from './hash'

describe('hashFields', () => {
  it.each([
    ['key order does not matter', { a: '1', b: '2' }, { b: '2', a: '1' }],
    ['a null field is the same as an absent one', { a: '1', b: null }, { a: '1' }],
    ["an '' field is the same as an absent one", { a: '1', b: '' }, { a: '1' }],
  ])('same hash: %s', (_name, left, right) => {
    expect(hashFields(left)).toBe(hashFields(right))
  })

  it.each([
    ['a changed value', { a: '1' }, { a: '2' }],
    ['a value moved to another field', { a: '1', b: null }, { a: null, b: '1' }],
    ['values that concatenate alike', { a: 'xy', b: 'z' }, { a: 'x', b: 'yz' }],
    ['a key that looks like a separator', { 'a,b': 'c' }, { a: 'b,c' }],
  ])('different hash: %s', (_name, left, right) => {
    expect(hashFields(left)).not.toBe(hashFields(right))
  })

  it.each([
    [{ a: '1', b: '2' }, { '@x': '3' }],
    [{ b: '2', a: '1' }, { '@x': null, '@y': '' }],
    [{ a: '1', '@x': 'own' }, { '@x': 'extra wins' }],
    [{ a: '1', '@x': 'own' }, { '@x': null }],
    [{}, { z: 'z', a: 'a' }],
  ])('hashFields(%j, %j) is the hash of the two spread into one object', (fields, extra) => {
    expect(hashFields(fields, extra)).toBe(hashFields({ ...fields, ...extra }))
  })

  it('is short lower-case hex and stable across releases (stored in crm_links)', () => {
    expect(hashFields({ email: 'jane@example.com', firstName: 'Jane' })).toMatch(/^[0-9a-f]{16}$/)
    expect(hashFields({})).toBe('97d170e1550eee4a')
    expect(hashFields({ email: 'jane@example.com', firstName: 'Jane' }, { '@company': '42', '@archived': null })).toBe('d0dab4e862b830b3')
  })
})

describe('hashFieldValues', () => {
  it('hashes each field by its value alone, and empty values to a fixed marker', () => {
    const hashes = hashFieldValues({ email: 'jane@example.com', other: 'jane@example.com', phone: null, city: '' })
    expect(hashes.email).toMatch(/^[0-9a-f]{12}$/)
    expect(hashes.other).toBe(hashes.email)
    expect(hashes.phone).toBe(EMPTY_FIELD_HASH)
    expect(hashes.city).toBe(EMPTY_FIELD_HASH)
    expect(Object.keys(hashes)).toEqual(['email', 'other', 'phone', 'city'])
  })

  it('answers the same from its memo as from the hash (values stored in crm_links)', () => {
    expect(hashFieldValue('lead')).toBe('8cb33b2754e5')
    expect(hashFieldValue('lead')).toBe('8cb33b2754e5')
    const long = 'x'.repeat(100)
    expect(hashFieldValue(long)).toBe(hashFieldValue(long))
  })

  it('tells values apart that differ only in case or whitespace (normalizing is the caller\'s job)', () => {
    expect(hashFieldValue('Jane')).not.toBe(hashFieldValue('jane'))
    expect(hashFieldValue('Jane')).not.toBe(hashFieldValue('Jane '))
  })
})
