import { describe, expect, it } from 'vitest'
import { shownFields, shownPhone } from './phone-format'

describe('a stored (E.164) phone as the dashboard shows it', () => {
  it.each([
    ["the workspace's country: national, as one would type it", '+13125550183', 'US', { text: '(312) 555-0183', e164: '+13125550183' }],
    ['another country: international, with its + code', '+442079460958', 'US', { text: '+44 20 7946 0958', e164: '+442079460958' }],
    ['the same number in a GB workspace: national', '+442079460958', 'GB', { text: '020 7946 0958', e164: '+442079460958' }],
    ['a US number in a GB workspace', '+13125550183', 'GB', { text: '+1 312 555 0183', e164: '+13125550183' }],
    ['the country as settings may spell it', '+13125550183', 'us', { text: '(312) 555-0183', e164: '+13125550183' }],
    ['another country of the same calling code (Canada, +1) keeps its code', '+14165550100', 'US', { text: '+1 416 555 0100', e164: '+14165550100' }],
    ['not a valid number: as stored, no link', '+1312555', 'US', { text: '+1312555', e164: null }],
    ['not E.164 at all: as stored', 'call me', 'US', { text: 'call me', e164: null }],
    ['written otherwise than E.164: as stored, not re-read', '312 555 0183', 'US', { text: '312 555 0183', e164: null }],
  ] as const)('%s', (_, stored, country, expected) => {
    expect(shownPhone(stored, country)).toEqual(expected)
  })
})

describe("a conflict's values with its phones shown", () => {
  it.each([
    ["a contact's phone, the rest as they are", 'contact', { phone: '+13125550183', jobTitle: '+13125550183', email: null }, { phone: '(312) 555-0183', jobTitle: '+13125550183', email: null }],
    ["a company's phone", 'company', { phone: '+442079460958' }, { phone: '+44 20 7946 0958' }],
    ['an empty phone stays empty', 'contact', { phone: null }, { phone: null }],
    ['a deal has no phone field', 'deal', { name: '+13125550183' }, { name: '+13125550183' }],
    ['an object type the app does not know: unchanged', 'ticket', { phone: '+13125550183' }, { phone: '+13125550183' }],
  ] as const)('%s', (_, type, fields, expected) => {
    expect(shownFields(type, { ...fields }, 'US')).toEqual(expected)
  })
})
