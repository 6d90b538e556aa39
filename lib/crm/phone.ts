// Phone numbers to E.164, deciding exactly as libphonenumber-js's 'max' rules do
// (parsePhoneNumberFromString(text, { defaultCountry, extract: false }) and then isValid()),
// at ~1 µs a number instead of ~20 µs. The library builds a RegExp from its metadata's
// pattern strings on every check (`new RegExp('^(?:' + pattern + ')$')` in matchesEntirely,
// dozens a number); this takes the library's own steps over the library's own metadata with
// each pattern compiled once. Only plain input takes this path — digits, spaces, ( ) . - and
// a leading + — so extensions, letters, tel: URIs and other scripts' digits never do: those
// return undefined and the caller asks the library. phone.test.ts compares the two on a
// generated corpus across every calling code; after a libphonenumber-js upgrade, it says
// whether the steps below still match the library's (source/parse.js and its helpers).
import * as core from 'libphonenumber-js/core'
import metadataJson from 'libphonenumber-js/max/metadata'

// The library's Metadata class (exported, not in its typings): it reads every metadata
// format version, so the plans below never index the JSON arrays themselves.
interface LibNumberingPlan {
  callingCode(): string
  IDDPrefix(): string | undefined
  nationalNumberPattern(): string
  possibleLengths(): number[] | undefined
  nationalPrefixForParsing(): string | undefined
  nationalPrefixTransformRule(): string | undefined
  leadingDigits(): string | undefined
  hasTypes(): boolean
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined
}
interface LibMetadata {
  selectNumberingPlan(countryOrCallingCode: string): LibMetadata
  numberingPlan: LibNumberingPlan
  hasCallingCode(callingCode: string): boolean
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined
}
const Metadata = (core as unknown as { Metadata: new (json: unknown) => LibMetadata }).Metadata
if (typeof Metadata !== 'function') throw new Error('libphonenumber-js/core no longer exports Metadata: lib/crm/phone.ts needs updating')
const metadata = new Metadata(metadataJson)

/** Digits, spaces, ( ) . - and an optional leading +, nothing else; ≤ 250 chars like the library's input cap. */
const PLAIN = /^\+?[0-9 ().-]{1,249}$/
const NOT_DIGIT_OR_PLUS = /[^0-9+]/g
const MIN_LENGTH_FOR_NSN = 2
const MAX_LENGTH_FOR_NSN = 17
const MAX_LENGTH_COUNTRY_CODE = 3
// getNumberType's order; for validity only "some type matches" counts.
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL']

/** One numbering plan (a country's, or a calling code's main one) with its patterns compiled. */
interface Plan {
  callingCode: string
  idd: RegExp
  /** The whole national number ("national number pattern"). */
  national: RegExp
  possibleLengths: number[] | undefined
  prefixForParsing: RegExp | undefined
  transformRule: string | undefined
  leadingDigits: RegExp | undefined
  /** undefined when the plan has no type patterns (validity is then the national pattern alone). */
  types: Array<{ pattern: RegExp; lengths: number[] | undefined }> | undefined
}

const plans = new Map<string, Plan>()
const entirely = (pattern: string) => new RegExp(`^(?:${pattern})$`)

function planFor(countryOrCallingCode: string): Plan {
  let plan = plans.get(countryOrCallingCode)
  if (plan) return plan
  const p = new Metadata(metadataJson).selectNumberingPlan(countryOrCallingCode).numberingPlan
  const npp = p.nationalPrefixForParsing()
  const leading = p.leadingDigits()
  plan = {
    callingCode: p.callingCode(),
    idd: new RegExp(p.IDDPrefix() as string), // as the library: new RegExp(undefined) matches ''
    national: entirely(p.nationalNumberPattern()),
    possibleLengths: p.possibleLengths(),
    prefixForParsing: npp ? new RegExp(`^(?:${npp})`) : undefined,
    transformRule: p.nationalPrefixTransformRule(),
    leadingDigits: leading ? new RegExp(leading) : undefined,
    types: p.hasTypes()
      ? TYPES.flatMap((name) => {
          const t = p.type(name)
          return t && t.pattern() ? [{ pattern: entirely(t.pattern()), lengths: t.possibleLengths() }] : []
        })
      : undefined,
  }
  plans.set(countryOrCallingCode, plan)
  return plan
}

const callingCodes = new Map<string, boolean>()
function hasCallingCode(code: string): boolean {
  let known = callingCodes.get(code)
  if (known === undefined) callingCodes.set(code, (known = !!metadata.hasCallingCode(code)))
  return known
}

/**
 * E.164 when the number is valid, null when it is not, undefined when the input is not
 * plain and the library must decide. `defaultCountry` must be a supported country or undefined.
 */
export function fastE164(text: string, defaultCountry: string | undefined): string | null | undefined {
  if (!PLAIN.test(text)) return undefined
  const number = text.replace(NOT_DIGIT_OR_PLUS, '')
  // Two digits or fewer take the library's short-input rules.
  if (number.length - (number[0] === '+' ? 1 : 0) < 3) return undefined
  const parsed = parse(number, defaultCountry)
  return parsed && isValid(parsed) ? `+${parsed.callingCode}${parsed.nationalNumber}` : null
}

interface Parsed { callingCode: string; nationalNumber: string; country: string | undefined }

// parse.js: parsePhoneNumber() and the length checks of parse().
function parse(digits: string, defaultCountry: string | undefined): Parsed | null {
  const extracted = extractCountryCallingCode(digits, defaultCountry)
  let country: string | undefined
  let plan: Plan
  let callingCode = extracted.callingCode
  if (callingCode) plan = planFor(callingCode)
  else if (extracted.number && defaultCountry) {
    country = defaultCountry
    plan = planFor(defaultCountry)
    callingCode = plan.callingCode
  } else return null
  if (!extracted.number) return null
  const nationalNumber = extractNationalNumber(extracted.number, undefined, plan)
  const exact = countryByCallingCode(callingCode, nationalNumber)
  if (exact) country = exact
  if (nationalNumber.length < MIN_LENGTH_FOR_NSN || nationalNumber.length > MAX_LENGTH_FOR_NSN) return null
  return { callingCode, nationalNumber, country }
}

// helpers/extractCountryCallingCode.js
function extractCountryCallingCode(number: string, defaultCountry: string | undefined): { callingCode?: string; number?: string } {
  if (number[0] !== '+') {
    const withoutIdd = defaultCountry ? stripIddPrefix(number, defaultCountry) : undefined
    if (withoutIdd && withoutIdd !== number) number = `+${withoutIdd}`
    else {
      if (defaultCountry) {
        const found = extractCountryCallingCodeWithoutPlus(number, defaultCountry)
        if (found) return found
      }
      return { number }
    }
  }
  if (number[1] === '0') return {}
  for (let i = 2; i - 1 <= MAX_LENGTH_COUNTRY_CODE && i <= number.length; i++) {
    const code = number.slice(1, i)
    if (hasCallingCode(code)) return { callingCode: code, number: number.slice(i) }
  }
  return {}
}

// helpers/stripIddPrefix.js
function stripIddPrefix(number: string, country: string): string | undefined {
  const idd = planFor(country).idd
  if (number.search(idd) !== 0) return undefined
  const rest = number.slice(number.match(idd)![0].length)
  // "An IDD followed by 0 is not a country code" (rest is all digits: its first is the first digit).
  if (rest[0] === '0') return undefined
  return rest
}

// helpers/extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.js
function extractCountryCallingCodeWithoutPlus(number: string, country: string): { callingCode: string; number: string } | undefined {
  const plan = planFor(country)
  const code = plan.callingCode
  if (!number.startsWith(code)) return undefined
  const shorter = number.slice(code.length)
  const shorterNational = extractNationalNumber(shorter, undefined, plan)
  const national = extractNationalNumber(number, undefined, plan)
  if ((!matches(plan.national, national) && matches(plan.national, shorterNational)) || checkLength(national, plan) === 'TOO_LONG') {
    return { callingCode: code, number: shorter }
  }
  return undefined
}

// helpers/extractNationalNumber.js (the carrier code is not needed for E.164)
function extractNationalNumber(number: string, country: string | undefined, plan: Plan): string {
  const national = stripNationalPrefix(number, plan)
  if (national !== number) {
    // shouldHaveExtractedNationalPrefix
    if (matches(plan.national, number) && !matches(plan.national, national)) return number
    if (plan.possibleLengths) {
      country ??= countryByCallingCode(plan.callingCode, national)
      const length = checkLength(national, country ? planFor(country) : plan)
      if (length === 'TOO_SHORT' || length === 'INVALID_LENGTH') return number
    }
  }
  return national
}

// helpers/extractNationalNumberFromPossiblyIncompleteNumber.js
function stripNationalPrefix(number: string, plan: Plan): string {
  if (!number || !plan.prefixForParsing) return number
  const match = plan.prefixForParsing.exec(number)
  if (!match) return number
  const groups = match.length - 1
  const hasGroups = groups > 0 && match[groups]
  if (plan.transformRule && hasGroups) return number.replace(plan.prefixForParsing, plan.transformRule)
  return number.slice(match[0].length)
}

// helpers/getCountryByCallingCode.js and getCountryByNationalNumber.js
function countryByCallingCode(callingCode: string, nationalNumber: string): string | undefined {
  const countries = metadata.getCountryCodesForCallingCode(callingCode)
  if (!countries) return undefined
  if (countries.length === 1) return countries[0]
  for (const country of countries) {
    const plan = planFor(country)
    if (plan.leadingDigits) {
      if (nationalNumber && nationalNumber.search(plan.leadingDigits) === 0) return country
    } else if (hasNumberType(nationalNumber, plan)) return country
  }
  return undefined
}

// helpers/checkNumberLength.js, for no particular type
function checkLength(nationalNumber: string, plan: Plan): 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH' {
  const lengths = plan.possibleLengths
  if (!lengths) return 'IS_POSSIBLE'
  const length = nationalNumber.length
  if (lengths[0] === length) return 'IS_POSSIBLE'
  if (lengths[0] > length) return 'TOO_SHORT'
  if (lengths[lengths.length - 1] < length) return 'TOO_LONG'
  return lengths.indexOf(length, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH'
}

// helpers/getNumberType.js, as "is there a type": every type it returns is truthy.
function hasNumberType(nationalNumber: string, plan: Plan): boolean {
  if (!matches(plan.national, nationalNumber) || !plan.types) return false
  for (const type of plan.types) {
    if (type.lengths && type.lengths.indexOf(nationalNumber.length) < 0) continue
    if (matches(type.pattern, nationalNumber)) return true
  }
  return false
}

// isValid.js
function isValid(p: Parsed): boolean {
  const plan = planFor(p.country || p.callingCode)
  return plan.types ? hasNumberType(p.nationalNumber, plan) : matches(plan.national, p.nationalNumber)
}

// helpers/matchesEntirely.js, with the pattern compiled once.
function matches(pattern: RegExp, text: string): boolean {
  return pattern.test(text || '')
}
