import { describe, expect, it } from 'vitest'
import { leadFieldsSchema, parseLeadBody } from './lead-fields'
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
