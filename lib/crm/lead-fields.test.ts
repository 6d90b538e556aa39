import { describe, expect, it } from 'vitest'
import { leadFieldsSchema, normalizeLeadFields, parseLeadBody } from './lead-fields'
import { LEAD_MAX_LENGTH } from './lead-limits'

// The form's inputs carry LEAD_MAX_LENGTH as their maxLength: the server refuses exactly past it.
describe('lead field limits', () => {
  it.each(Object.entries(LEAD_MAX_LENGTH))('%s: %i characters are taken, one more is refused by its label', (field, max) => {
    expect(() => parseLeadBody(leadFieldsSchema, { [field]: 'x'.repeat(max) })).not.toThrow()
    expect(() => parseLeadBody(leadFieldsSchema, { [field]: 'x'.repeat(max + 1) })).toThrow(new RegExp(`^[A-Z][a-z ]+: at most ${max} characters$`))
  })

  it('every field of the schema has a limit in the list', () => {
    expect(Object.keys(leadFieldsSchema.shape).sort()).toEqual(Object.keys(LEAD_MAX_LENGTH).sort())
  })
})

// What HubSpot's email check takes (lead-fields.ts: RFC 2822, so ASCII before the @; a Unicode TLD is fine).
describe('emails HubSpot would refuse are refused with the reason', () => {
  it.each([
    ['Zoë@example.com', /^Email "Zoë@example.com" has "ë" before the @: HubSpot takes only ASCII/],
    ['用户@example.com', /^Email "用户@example.com" has "用" before the @/],
    ['"zoe.smith"@example.com', /is quoted before the @, which HubSpot does not take$/],
  ])('%s', (email, message) => {
    expect(() => normalizeLeadFields({ email }, 'US')).toThrow(message)
  })

  it.each(['zoe@example.com', "o'brien+crm@example.com", 'zoe@bücher.de', 'user@email.삼성'])('takes %s', (email) => {
    expect(normalizeLeadFields({ email }, 'US').email).toBe(email.toLowerCase())
  })
})
