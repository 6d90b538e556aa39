import { describe, expect, it } from 'vitest'
import { optionLabel, type OptionField } from './hubspot-options'

describe('optionLabel', () => {
  it.each<[OptionField, string | null, string | null]>([
    ['lifecycleStage', 'marketingqualifiedlead', 'Marketing Qualified Lead'],
    ['lifecycleStage', 'customer', 'Customer'],
    ['lifecycleStage', '1062961', '1062961'], // a portal's own stage: shown as stored
    ['lifecycleStage', null, null],
    ['leadStatus', 'ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
    ['leadStatus', 'IN_PROGRESS', 'In Progress'],
    ['leadStatus', 'attempted_to_contact', 'attempted_to_contact'], // enumerations are case-sensitive in HubSpot
    ['leadStatus', 'Needs follow-up', 'Needs follow-up'],
  ])('%s %s → %s', (field, value, label) => {
    expect(optionLabel(field, value)).toBe(label)
  })
})
