import { describe, expect, it } from 'vitest'
import { choosePhoneCountry } from './phone-country'

describe('choosePhoneCountry', () => {
  it.each([
    { name: 'no connections', countries: [], country: 'US', from: 'default', listed: [] },
    { name: 'connections without a country', countries: [undefined, null], country: 'US', from: 'default', listed: [] },
    { name: 'one connection sets one', countries: ['GB'], country: 'GB', from: 'connections', listed: ['GB'] },
    { name: 'two agree, one unset', countries: ['GB', undefined, 'gb'], country: 'GB', from: 'connections', listed: ['GB'] },
    { name: 'two disagree', countries: ['US', 'GB'], country: 'US', from: 'disagreement', listed: ['GB', 'US'] },
    { name: 'disagree, fallback neither', countries: ['DE', 'FR', 'DE'], country: 'US', from: 'disagreement', listed: ['DE', 'FR'] },
  ])('$name', ({ countries, country, from, listed }) => {
    expect(choosePhoneCountry(countries, 'us')).toEqual({ country, from, connectionCountries: listed })
  })
})
