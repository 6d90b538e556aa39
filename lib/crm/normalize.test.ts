import { describe, expect, it } from 'vitest'
import {
  normalizeDatetime, normalizeDecimal, normalizeDomain, normalizeEmail, normalizeFields, normalizeName,
  normalizeNotes, normalizePhone, withoutNul,
} from './normalize'

describe('normalizeEmail', () => {
  it.each([
    ['  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['mailto:ops@acme.io', 'ops@acme.io'],
    ['', null],
    ['   ', null],
    [null, null],
    ['not an email', null],
    ['jane@localhost', null],
    ['jane doe@example.com', null],
    ['jane@@example.com', null],
    ['@example.com', null],
    ['jane@example.', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected)
  })
})

describe('normalizePhone', () => {
  it.each([
    ['(415) 555-0100', 'US', '+14155550100'],
    ['415.555.0101', 'US', '+14155550101'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['0044 20 7946 0958', 'GB', '+442079460958'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['+1 415-555-0100 x12', 'US', '+14155550100'],
    ['(415) 555-0100 ext. 12', 'US', '+14155550100'],
    ['+33 1 42 68 53 00', 'GB', '+33142685300'],
    ['+14155550100', 'GB', '+14155550100'],
    ['415 555 0100', undefined, null],
    ['415 555 0100', 'XX', null],
    ['+1 415 555 0100', 'XX', '+14155550100'],
    ['12', 'US', null],
    ['garbage', 'US', null],
    ['555-CALL-NOW!!', 'US', null],
    ['', 'US', null],
    [null, 'US', null],
  ] as const)('%j with default %s → %j', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected)
  })

  it('gives the same answer the second time (the memo is keyed by default country too)', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958')
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958')
    expect(normalizePhone('020 7946 0958', 'US')).toBe(null)
  })
})

describe('normalizeName', () => {
  it.each([
    ['  Jane   Doe ', 'Jane Doe'],
    ['Jane\t\nDoe', 'Jane Doe'],
    ['\u00a0Zoë\u00a0', 'Zoë'],
    ['   ', null],
    [null, null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeName(raw)).toBe(expected)
  })
})

describe('normalizeDomain', () => {
  it.each([
    ['Acme.com', 'acme.com'],
    ['https://www.Acme.com/about?x=1', 'acme.com'],
    ['http://shop.acme.co.uk:8080/', 'shop.acme.co.uk'],
    ['www.acme.com.', 'acme.com'],
    ['acme', null],
    ['jane@acme.com', null],
    ['', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeDomain(raw)).toBe(expected)
  })
})

describe('normalizeDecimal', () => {
  it.each([
    ['1000.00', '1000'],
    ['001200.50', '1200.5'],
    ['  42 ', '42'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-0.0', '0'],
    ['-12.340', '-12.34'],
    ['+7', '7'],
    ['12345678901234567890.123', '12345678901234567890.123'],
    ['1.5e3', '1500'],
    ['1e-7', '0.0000001'],
    ['1e400', null],
    ['1,000', null],
    ['abc', null],
    ['.', null],
    ['', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeDecimal(raw)).toBe(expected)
  })
})

describe('normalizeDatetime', () => {
  it.each([
    ['2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T12:00:00+02:00', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T10:00:00', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01 10:00', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['1709287200000', '2024-03-01T10:00:00.000Z'],
    ['1709287200', '2024-03-01T10:00:00.000Z'],
    ['yesterday', null],
    ['', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeDatetime(raw)).toBe(expected)
  })
})

describe('normalizeNotes', () => {
  it('keeps line breaks, in one style', () => {
    expect(normalizeNotes('  first\r\nsecond\rthird  ')).toBe('first\nsecond\nthird')
    expect(normalizeNotes(' \n ')).toBe(null)
  })
})

describe('normalizeFields', () => {
  it('applies the normalizer of each canonical field kind and keeps only the fields given', () => {
    expect(normalizeFields('contact', {
      email: ' Jane@Example.com', phone: '(415) 555-0100', firstName: ' Jane  ', lastName: '',
      lifecycleStage: ' lead ', description: ' met at expo\r\nfollow up ', lastActivityAt: '1709287200000',
      ownerRemoteId: ' 42 ', hs_custom: '  kept  ',
    }, { defaultCountry: 'US' })).toEqual({
      email: 'jane@example.com', phone: '+14155550100', firstName: 'Jane', lastName: null,
      lifecycleStage: 'lead', description: 'met at expo\nfollow up', lastActivityAt: '2024-03-01T10:00:00.000Z',
      ownerRemoteId: '42', hs_custom: 'kept',
    })
  })

  it.each([
    ['company', { domain: 'https://www.Acme.com/', phone: '020 7946 0958', industry: '' },
      { domain: 'acme.com', phone: '+442079460958', industry: null }],
    ['deal', { amount: '1500.00', closeDate: '2024-03-01', stage: ' closedwon ' },
      { amount: '1500', closeDate: '2024-03-01T00:00:00.000Z', stage: 'closedwon' }],
  ] as const)('%s fields', (objectType, fields, expected) => {
    expect(normalizeFields(objectType, fields, { defaultCountry: 'GB' })).toEqual(expected)
  })

  it('drops NUL characters a rep typed in the CRM, whatever the field kind', () => {
    expect(normalizeFields('contact', {
      email: 'jane@exa\u0000mple.com', firstName: 'Ja\u0000ne', lifecycleStage: '\u0000', description: 'line\u0000\nnext', hs_custom: 'a\u0000b',
    })).toEqual({ email: 'jane@example.com', firstName: 'Jane', lifecycleStage: null, description: 'line\nnext', hs_custom: 'ab' })
  })
})

describe('withoutNul', () => {
  it.each([
    ['plain', 'plain'],
    ['Acme\u0000 Inc', 'Acme Inc'],
    ['\u0000lead\u0000\u0000', 'lead'],
    ['\u0000', ''],
    ['', ''],
    [null, null],
  ])('%j → %j', (raw, expected) => {
    expect(withoutNul(raw)).toBe(expected)
  })
})
