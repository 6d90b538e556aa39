import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import examples from 'libphonenumber-js/mobile/examples'
import { describe, expect, it } from 'vitest'
import { fastE164 } from './phone'

/** What normalize.ts asked of the library before fastE164, and still asks for non-plain input. */
function library(text: string, defaultCountry: CountryCode | undefined): string | null {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false })
  return parsed?.isValid() ? parsed.number : null
}

function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('fastE164', () => {
  it.each([
    ['(415) 555-0100', 'US'], ['+44 20 7946 0958', 'US'], ['020 7946 0958', 'GB'], ['020 7946 0958', 'US'],
    ['011 44 20 7946 0958', 'US'], ['0044 20 7946 0958', 'GB'], ['00 1 415 555 0100', 'DE'], ['+1 204 555 0100', undefined],
    ['204-555-0100', 'US'], ['1 415 555 0100', 'US'], ['+7 701 123 4567', undefined], ['8 (701) 123-45-67', 'KZ'],
    ['+44 7624 123456', undefined], ['07624 123456', 'GB'], ['+800 1234 5678', undefined], ['+882 1234 5678', undefined],
    ['011 15 2345 6789', 'AR'], ['+54 9 11 2345 6789', undefined], ['044 55 1234 5678', 'MX'], ['+0 123 4567', 'US'],
    ['+999 123 4567', 'US'], ['4155550100', undefined], ['49 30 12345678', 'DE'], ['+33 (0)1 42 68 53 00', 'FR'],
  ] as const)('%j with default %s: the library\'s answer', (text, country) => {
    expect(fastE164(text, country)).toBe(library(text, country))
  })

  it.each([
    ['+1 415-555-0100 x12'], ['(415) 555-0100 ext. 12'], ['tel:+1-415-555-0100'], ['555-CALL-NOW'], ['12'], ['+1'],
    ['(+44) 20 7946 0958'], ['４１５５５５０１００'], ['415\t555\t0100'],
  ])('%j is left to the library (not plain input)', (text) => {
    expect(fastE164(text, 'US')).toBeUndefined()
  })

  it('agrees with the library on 40,000 generated numbers across every country and format', () => {
    const rand = prng(20261130)
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('')
    const countries = getCountries()
    const mobile = examples as Partial<Record<CountryCode, string>>
    const mismatches: string[] = []
    let checked = 0
    let valid = 0
    for (let i = 0; i < 40_000; i++) {
      const country = pick(countries)
      const code = getCountryCallingCode(country)
      const example = mobile[country]
      // Real numbers (the library's examples), near misses of them, and random digits.
      let national = example && rand() < 0.5 ? example : digits(3 + Math.floor(rand() * 12))
      if (example && rand() < 0.3) national = example.slice(0, -1) + digits(1 + Math.floor(rand() * 2))
      const raw = pick([`+${code}${national}`, `${code}${national}`, `00${code}${national}`, `011${code}${national}`,
        `0${national}`, `+${code}0${national}`, national])
      let text = ''
      for (const c of raw) text += c + (rand() < 0.25 ? pick(['', ' ', '-', '.', ' ']) : '')
      text = text.trim()
      if (rand() < 0.1) text = text.replace(/^(\+?\d{1,3})/, '($1)')
      const defaultCountry = rand() < 0.15 ? undefined : rand() < 0.5 ? country
        : pick(['US', 'GB', 'DE', 'FR', 'AU', 'IN', 'BR', 'MX', 'AR', 'CA', 'IT', 'RU', 'KZ', 'CN', 'JP', 'IL', 'NZ', 'ZA'] as const)
      const fast = fastE164(text, defaultCountry)
      if (fast === undefined) continue
      const expected = library(text, defaultCountry)
      checked++
      if (expected) valid++
      if (fast !== expected) mismatches.push(`${JSON.stringify(text)} (${defaultCountry}): ${fast} ≠ ${expected}`)
    }
    expect(mismatches.slice(0, 10)).toEqual([])
    expect(checked).toBeGreaterThan(38_000)
    expect(valid).toBeGreaterThan(8_000) // both answers well represented
  })
})
