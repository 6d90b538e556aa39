import { describe, expect, it } from 'vitest'
import { toRemoteRecord } from './mapping'
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
    ['a company without the primary label: the first', 'contact',
      object({ associations: { companies: { results: [company('2', 'contact_to_company_unlabeled')] } } }), false, { companyRemoteId: '2' }],
  ] as const)('%s', (_name, type, obj, asked, expected) => {
    expect(toRemoteRecord(type, obj, asked).associations).toEqual(expected)
  })
})
