import { describe, expect, it } from 'vitest'
import { HUBSPOT_OPTIONS, optionLabel, optionsFor, type OptionField, type PortalOptions } from './hubspot-options'

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

describe("a portal's own options", () => {
  const portal: PortalOptions = { lifecycleStage: [['lead', 'Prospect'], ['1062961', 'Partner']] }
  it.each<[OptionField, string | null, string | null]>([
    ['lifecycleStage', '1062961', 'Partner'], // its own stage, by the portal's label
    ['lifecycleStage', 'lead', 'Prospect'], // a default it renamed
    ['lifecycleStage', 'customer', 'Customer'], // a default it does not list: HubSpot's label
    ['leadStatus', 'CONNECTED', 'Connected'], // no options read for this field
    ['lifecycleStage', 'gone', 'gone'],
    ['lifecycleStage', null, null],
  ])('%s %s → %s', (field, value, label) => {
    expect(optionLabel(field, value, portal)).toBe(label)
  })

  it('are the suggestions once read; until then, and for fields without any, the defaults', () => {
    expect(optionsFor('lifecycleStage', portal)).toEqual(portal.lifecycleStage)
    expect(optionsFor('leadStatus', portal)).toEqual(HUBSPOT_OPTIONS.leadStatus)
    expect(optionsFor('lifecycleStage', { lifecycleStage: [] })).toEqual(HUBSPOT_OPTIONS.lifecycleStage)
    expect(optionsFor('lifecycleStage')).toEqual(HUBSPOT_OPTIONS.lifecycleStage)
  })
})
