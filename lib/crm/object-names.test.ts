import { describe, expect, it } from 'vitest'
import { objectNamesSchema, parseObjectNames } from './object-names'

// The CLI's --objects and POST /api/crm/sync's objects: plural (as every answer's keys) or singular.
describe('parseObjectNames', () => {
  it.each([
    ['plural, as the answers name them', ['contacts', 'deals'], { types: ['contact', 'deal'] }],
    ['singular, as the engine names them', ['deal'], { types: ['deal'] }],
    ['both, and any case: each type once', ['Companies', 'company', ' OWNERS '], { types: ['company', 'owner'] }],
    ['all four', ['owners', 'companies', 'contacts', 'deals'], { types: ['owner', 'company', 'contact', 'deal'] }],
    ['an unknown name: the plural names offered', ['contacts', 'tickets'], { error: 'unknown object type "tickets": expected owners, companies, contacts, deals' }],
    ['nothing', [' '], { error: 'no object type: expected owners, companies, contacts, deals' }],
  ] as const)('%s', (_, names, expected) => {
    expect(parseObjectNames(names)).toEqual(expected)
  })

  it('as a schema: the types, or an issue saying the plural names', () => {
    expect(objectNamesSchema.parse(['deals'])).toEqual(['deal'])
    expect(objectNamesSchema.safeParse(['deal']).data).toEqual(['deal'])
    expect(objectNamesSchema.safeParse(['tickets']).error?.issues[0].message).toBe('unknown object type "tickets": expected owners, companies, contacts, deals')
    expect(objectNamesSchema.safeParse([]).success).toBe(false)
  })
})
