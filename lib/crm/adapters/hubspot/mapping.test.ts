import { describe, expect, it } from 'vitest'
import { isMappedProperty, pickCompany, propertiesFor, toRemoteRecord } from './mapping'
import { hubSpotObjectSchema } from './schemas'

const object = (extra: Record<string, unknown> = {}) =>
  hubSpotObjectSchema.parse({ id: '7', properties: { email: 'a@b.co' }, createdAt: '2024-03-01T10:00:00Z', updatedAt: '2024-03-01T10:00:00Z', ...extra })
const company = (id: string, type: string) => ({ id, type })

// What a read says about a record's associations. HubSpot leaves `associations` out of a
// list result that has none, so a read that asked for them and finds no key means none.
describe('toRemoteRecord associations', () => {
  it.each([
    ['not asked for, no key: unknown', 'contact', object(), false, undefined],
    ['asked for, no key: none', 'contact', object(), true, { companyRemoteId: null }],
    ['asked for, no key, a deal: no company and no contacts', 'deal', object(), true, { companyRemoteId: null, contactRemoteIds: [] }],
    ['the primary company over another', 'contact',
      object({ associations: { companies: { results: [company('2', 'contact_to_company_unlabeled'), company('3', 'contact_to_company')] } } }), true,
      { companyRemoteId: '3' }],
    ['a company without the primary label: that one', 'contact',
      object({ associations: { companies: { results: [company('2', 'contact_to_company_unlabeled')] } } }), false, { companyRemoteId: '2' }],
    ['several, none primary: the lowest id, whatever the order', 'contact',
      object({ associations: { companies: { results: [company('12', 'contact_to_company_unlabeled'), company('9', 'contact_to_company_unlabeled')] } } }), true,
      { companyRemoteId: '9' }],
  ] as const)('%s', (_name, type, obj, asked, expected) => {
    expect(toRemoteRecord(type, obj, asked).associations).toEqual(expected)
  })
})

// The v3 read and the v4 association read must choose alike (the daily association check
// compares them), so the choice depends on the set, not on the order either lists it in.
describe('pickCompany', () => {
  const c = (id: string, primary = false) => ({ id, primary })
  it.each([
    ['none', [], null],
    ['one', [c('7')], '7'],
    ['the primary over lower ids', [c('3'), c('88', true), c('1')], '88'],
    ['none primary: the lowest id', [c('45'), c('123'), c('9')], '9'],
    ['ids compared as numbers, not text', [c('100'), c('99')], '99'],
    ['ids past a safe number', [c('90071992547409931'), c('90071992547409929')], '90071992547409929'],
  ] as const)('%s', (_name, companies, expected) => {
    expect(pickCompany(companies)).toBe(expected)
    expect(pickCompany([...companies].reverse())).toBe(expected)
  })
})

// A connection's extra properties: asked for with every read, their non-empty values kept by name.
describe('extra properties', () => {
  it.each([
    ['none asked for: not read (the row keeps its own)', { tier: 'gold' }, undefined, undefined],
    ['asked for, present', { tier: 'gold', email: 'a@b.co' }, ['tier'], { tier: 'gold' }],
    ['asked for, empty or null or missing: left out', { tier: '', score: null }, ['tier', 'score', 'region'], {}],
    ['a NUL a rep typed: dropped (jsonb cannot hold it)', { tier: 'go\u0000ld', score: '\u0000' }, ['tier', 'score'], { tier: 'gold' }],
  ] as const)('%s', (_name, properties, extra, expected) => {
    expect(toRemoteRecord('contact', object({ properties }), false, extra).extra).toEqual(expected)
  })

  it('are asked for after the mapped properties, without repeating one', () => {
    const props = propertiesFor('company', ['numberofemployees', 'name'])
    expect(props.slice(0, propertiesFor('company').length)).toEqual(propertiesFor('company'))
    expect(props.filter((p) => p === 'name')).toHaveLength(1)
    expect(props).toContain('numberofemployees')
    expect(isMappedProperty('contact', 'hs_lead_status')).toBe(true)
    expect(isMappedProperty('contact', 'favourite_color')).toBe(false)
  })
})
