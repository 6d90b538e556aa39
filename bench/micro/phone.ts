// npx tsx bench/micro/phone.ts — phone normalization alternatives on the sandbox's phone mix.
// Prints µs per number for each variant and how many answers differ from the current one.
import * as max from 'libphonenumber-js/max'
import * as min from 'libphonenumber-js/min'
import { fastE164 } from '../../lib/crm/phone'
import { normalizePhone } from '../../lib/crm/normalize'
import { phoneNumber } from '../../sandbox/hubspot/seed-data'
import { mulberry32 } from '../../sandbox/hubspot/random'

const N = 20_000
const rand = mulberry32(7)
const phones = Array.from({ length: N }, () => phoneNumber(rand))
const country = 'US' as const

type Variant = (text: string) => string | null
const variants: Record<string, Variant> = {
  'max parse + isValid': (t) => { const p = max.parsePhoneNumberFromString(t, { defaultCountry: country, extract: false }); return p?.isValid() ? p.number : null },
  'max parse only': (t) => max.parsePhoneNumberFromString(t, { defaultCountry: country, extract: false })?.number ?? null,
  'max isValidPhoneNumber': (t) => (max.isValidPhoneNumber(t, country) ? 'x' : null),
  'max parseWithError + isValid': (t) => { try { const p = max.parsePhoneNumberWithError(t, { defaultCountry: country, extract: false }); return p.isValid() ? p.number : null } catch { return null } },
  'fastE164 (compiled max patterns)': (t) => fastE164(t, country) ?? null,
  'normalizePhone (fast path + memo)': (t) => normalizePhone(t, country),
  'min parse + isValid': (t) => { const p = min.parsePhoneNumberFromString(t, { defaultCountry: country, extract: false }); return p?.isValid() ? p.number : null },
  'min parse only': (t) => min.parsePhoneNumberFromString(t, { defaultCountry: country, extract: false })?.number ?? null,
}

const reference = phones.map(variants['max parse + isValid'])
for (let round = 0; round < 2; round++) for (const [name, fn] of Object.entries(variants)) {
  for (let i = 0; i < 2_000; i++) fn(phones[i]) // warm up
  const t0 = performance.now()
  const out = phones.map(fn)
  const us = ((performance.now() - t0) * 1000) / N
  const differ = name.includes('isValidPhoneNumber') ? '' : ` (${out.filter((v, i) => v !== reference[i]).length} differ)`
  console.log(`${name.padEnd(32)} ${us.toFixed(2).padStart(7)} µs/number${differ}`)
}
