import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { expect, it } from 'vitest'
import { mulberry32 } from '../../sandbox/hubspot/random'
import { JUNK_PHONE_SHARE, phoneNumber } from '../../sandbox/hubspot/seed-data'

// The demo portal's phones are ones the app can read (a third of them once were not, and the
// dashboard showed their leads with no phone), in the mixed formats reps type, with a few
// deliberate junk ones so the "phone could not be read" path still shows.

const phones = (() => {
  const rand = mulberry32(11)
  return Array.from({ length: 20_000 }, () => phoneNumber(rand))
})()
const readable = (p: string) => parsePhoneNumberFromString(p, { defaultCountry: 'US', extract: false })?.isValid() ?? false

it('about 97% of seeded phones are valid numbers for their country, read with a US default; the rest are junk', () => {
  const unreadable = phones.filter((p) => !readable(p))
  expect(unreadable.length / phones.length).toBeGreaterThan(JUNK_PHONE_SHARE * 0.7)
  expect(unreadable.length / phones.length).toBeLessThan(JUNK_PHONE_SHARE * 1.3)
  // Junk is junk: not a number that merely misses a digit or a country.
  for (const p of unreadable) expect(p).toMatch(/^(n\/a|ask reception|555-0199|\+1 \(000\) 000-0000|TBD|12345)$/)
})

it('the readable ones come in national and international formats, from four countries', () => {
  const ok = phones.filter(readable)
  const shapes = new Set(ok.map((p) => p.replace(/\d/g, '9')))
  expect(shapes.size).toBeGreaterThanOrEqual(8)
  expect(ok.some((p) => !p.startsWith('+'))).toBe(true)
  const countries = new Set(ok.map((p) => parsePhoneNumberFromString(p, 'US')!.country))
  expect([...countries].sort()).toEqual(['DE', 'FR', 'GB', 'US'])
})

it('the same seed gives the same phones', () => {
  const rand = mulberry32(11)
  expect(Array.from({ length: 200 }, () => phoneNumber(rand))).toEqual(phones.slice(0, 200))
})
