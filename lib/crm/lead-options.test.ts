import { describe, expect, it } from 'vitest'
import { normalizeLeadFields } from './lead-fields'
import { optionValue, type OptionField, type PortalOptions } from './lead-options'

// What a person types in the lead form's lifecycle stage and lead status, and what is stored.
describe('optionValue', () => {
  const portal: PortalOptions = { lifecycleStage: [['lead', 'Prospect'], ['customer', 'Customer'], ['1062961', 'Partner']] }
  const ok = (value: string) => ({ ok: true, value })
  it.each<[string, OptionField, string, PortalOptions | undefined, { ok: boolean; value?: string }]>([
    ['a default value', 'lifecycleStage', 'salesqualifiedlead', undefined, ok('salesqualifiedlead')],
    ['a default label, as the table shows it', 'lifecycleStage', 'Sales Qualified Lead', undefined, ok('salesqualifiedlead')],
    ['a default label in another case', 'leadStatus', 'in progress', undefined, ok('IN_PROGRESS')],
    ['a default value in another case', 'leadStatus', 'in_progress', undefined, ok('IN_PROGRESS')],
    ['no options read: an unknown value is kept (it may be a stage the portal added)', 'lifecycleStage', '1062961', undefined, ok('1062961')],
    ['options read for another field only: kept', 'leadStatus', 'Call back', portal, ok('Call back')],
    ["the portal's own value", 'lifecycleStage', '1062961', portal, ok('1062961')],
    ["the portal's own label", 'lifecycleStage', 'partner', portal, ok('1062961')],
    ['a default the portal renamed, by its new label', 'lifecycleStage', 'Prospect', portal, ok('lead')],
    ['a default the portal does not have: refused', 'lifecycleStage', 'evangelist', portal, { ok: false }],
    ['neither value nor label of the portal: refused', 'lifecycleStage', 'Sales Qualified Lead', portal, { ok: false }],
  ])('%s', (_name, field, typed, options, expected) => {
    expect(optionValue(field, typed, options)).toMatchObject(expected)
  })

  it('lists the allowed options when it refuses', () => {
    expect(optionValue('lifecycleStage', 'Friend', portal)).toEqual({
      ok: false, error: `lifecycle stage "Friend" is not one of this HubSpot portal's options: Prospect (lead), Customer (customer), Partner (1062961)`,
    })
  })
})

describe('normalizeLeadFields with options', () => {
  const portal: PortalOptions = { leadStatus: [['NEW', 'New'], ['IN_PROGRESS', 'In Progress']] }
  it.each([
    ['labels become values', { lifecycleStage: ' Customer ', leadStatus: 'In Progress' }, undefined, { lifecycleStage: 'customer', leadStatus: 'IN_PROGRESS' }],
    ['cleared fields stay cleared', { lifecycleStage: null, leadStatus: '' }, portal, { lifecycleStage: null, leadStatus: null }],
  ])('%s', (_name, fields, options, expected) => {
    expect(normalizeLeadFields(fields, 'US', undefined, options)).toEqual(expected)
  })

  it.each([
    [undefined, /^Lead status "Later" is not one of this HubSpot portal's options: New \(NEW\), In Progress \(IN_PROGRESS\)$/],
    ['contact 2', /^contact 2: lead status "Later" is not one/],
  ])('refuses a value the portal has not, led by %j', (label, message) => {
    expect(() => normalizeLeadFields({ leadStatus: 'Later' }, 'US', label, portal)).toThrow(message)
  })
})
