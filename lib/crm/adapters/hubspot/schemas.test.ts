import { describe, expect, it } from 'vitest'
import { hubSpotObjectSchema } from './schemas'

const object = { id: '1', properties: { email: 'a@b.co', phone: null }, createdAt: '2024-03-01T10:00:00Z', updatedAt: '2024-03-01T10:00:00.000Z' }

describe('hubSpotObjectSchema', () => {
  it('reads raw JSON (string dates) and the typed SDK\'s objects (Date objects) alike', () => {
    const fromJson = hubSpotObjectSchema.parse(object)
    expect(fromJson.updatedAt).toEqual(new Date('2024-03-01T10:00:00Z'))
    expect(hubSpotObjectSchema.parse({ ...object, updatedAt: new Date('2024-03-01T10:00:00Z') })).toEqual(fromJson)
  })

  it.each([
    ['a number property', { ...object, properties: { email: 5 } }],
    ['an array of properties', { ...object, properties: ['a'] }],
    ['no properties', { ...object, properties: null }],
    ['a date that is not one', { ...object, updatedAt: 'yesterday' }],
  ])('rejects %s', (_name, value) => {
    expect(hubSpotObjectSchema.safeParse(value).success).toBe(false)
  })
})
