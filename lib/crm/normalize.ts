// Canonical forms for everything that crosses into the engine, so that matching, hashing
// and echo detection compare like with like. Called for every field of every record
// (~30k records/s on a backfill): regexes are compiled once, and the only cache is bounded.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import { fastE164 } from './phone'
import { FIELD_KINDS, type Fields, type ObjectType } from './types'

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/
const MAILTO_PREFIX = /^mailto:/i
const WHITESPACE_RUN = /\s+/g
const CRLF = /\r\n?/g
const DOMAIN_PREFIX = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:www\.)?/
const DOMAIN_SUFFIX = /[/?#:].*$/
const TRAILING_DOT = /\.$/
const DOMAIN_SHAPE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/
const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/
const LEADING_ZEROS = /^0+(?=\d)/
const TRAILING_ZEROS = /0+$/
const EXPONENT_FORM = /^[+-]?(?:\d+\.?\d*|\.\d+)e[+-]?\d+$/i
const EPOCH_DIGITS = /^\d{9,14}$/
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/
const NUL = /\u0000/g

export interface NormalizeOptions {
  /** ISO 3166 alpha-2 country for phone numbers written without a country code ("US", "GB"). */
  defaultCountry?: string
}

export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const email = raw.trim().replace(MAILTO_PREFIX, '').toLowerCase()
  return EMAIL_SHAPE.test(email) ? email : null
}

/**
 * E.164, or null when the number is not a valid one. Extensions are dropped: E.164 has none.
 * An unknown default country counts as none: only numbers with a country code then pass.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry?: string): string | null {
  if (raw == null) return null
  const text = raw.trim()
  if (text === '') return null
  const country = defaultCountry !== undefined && isSupportedCountry(defaultCountry) ? defaultCountry : undefined
  const phone = validE164(text, country)
  if (phone !== null) return phone
  // "00" is the international prefix almost everywhere but in North America, whose own
  // numbers never start with 0, so "0044 …" typed in a US-defaulted portal is still British.
  if (text.startsWith('00')) return validE164(`+${text.slice(2)}`, undefined)
  return null
}

// Plain numbers (digits, spaces, ( ) . -, a leading +) take fastE164: libphonenumber-js's
// own 'max' rules with its patterns compiled once, ~1 µs. Anything else (extensions, letters)
// goes to the library, ~20 µs a number; repeated ones (switchboards, echoes of our own
// pushes) hit this memo, cleared when full so it never holds more than PHONE_MEMO_LIMIT.
const PHONE_MEMO_LIMIT = 5_000
const phoneMemo = new Map<string, string | null>()

function validE164(text: string, defaultCountry: CountryCode | undefined): string | null {
  const fast = fastE164(text, defaultCountry)
  if (fast !== undefined) return fast
  const key = `${defaultCountry ?? ''}|${text}`
  const known = phoneMemo.get(key)
  if (known !== undefined) return known
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false })
  const phone = parsed?.isValid() ? parsed.number : null
  if (phoneMemo.size >= PHONE_MEMO_LIMIT) phoneMemo.clear()
  phoneMemo.set(key, phone)
  return phone
}

export function normalizeName(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const name = raw.replace(WHITESPACE_RUN, ' ').trim()
  return name === '' ? null : name
}

/** "https://www.Acme.com/about" → "acme.com"; null when what is left is not a host name. */
export function normalizeDomain(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const domain = raw.trim().toLowerCase().replace(DOMAIN_PREFIX, '').replace(DOMAIN_SUFFIX, '')
    .replace(TRAILING_DOT, '')
  return DOMAIN_SHAPE.test(domain) ? domain : null
}

/** Notes keep their line breaks (one style of them, so hashes agree across systems). */
export function normalizeNotes(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const notes = raw.replace(CRLF, '\n').trim()
  return notes === '' ? null : notes
}

/** "001200.50" → "1200.5"; null when not a number (the column is numeric). */
export function normalizeDecimal(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const text = raw.trim()
  const plain = canonicalPlainDecimal(text)
  if (plain !== null || !EXPONENT_FORM.test(text)) return plain
  // Exponent forms ("1.5e3") are rare enough to go through a float.
  const n = Number(text)
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return null
  return canonicalPlainDecimal(String(n).includes('e') ? n.toFixed(20) : String(n))
}

function canonicalPlainDecimal(text: string): string | null {
  const plain = PLAIN_DECIMAL.exec(text)
  if (plain === null) return null
  const [, sign, intDigits, fracDigits = ''] = plain
  if (intDigits === '' && fracDigits === '') return null
  const integer = intDigits.replace(LEADING_ZEROS, '') || '0'
  const fraction = fracDigits.replace(TRAILING_ZEROS, '')
  const magnitude = fraction === '' ? integer : `${integer}.${fraction}`
  return sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude
}

/**
 * ISO 8601 in UTC with milliseconds. All-digit values are epoch times, as HubSpot sends
 * some datetimes (milliseconds from 12 digits on, seconds below). A time without a zone
 * is read as UTC, never as the server's local time.
 */
export function normalizeDatetime(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const text = raw.trim()
  if (text === '') return null
  let ms: number
  if (EPOCH_DIGITS.test(text)) ms = text.length >= 12 ? Number(text) : Number(text) * 1000
  else ms = Date.parse(LOCAL_DATETIME.test(text) ? `${text.replace(' ', 'T')}Z` : text)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null
}

export function normalizeText(raw: string | null | undefined): string | null {
  if (raw == null) return null
  const text = raw.trim()
  return text === '' ? null : text
}

/**
 * The text without its NUL characters (\u0000). A CRM keeps a NUL a rep typed or pasted,
 * but Postgres text and jsonb cannot hold one ("unsupported Unicode escape sequence"), so a
 * record carrying one would fail on every sync: the character is dropped and the record lands.
 */
export function withoutNul(raw: string | null): string | null {
  return raw !== null && raw.includes('\u0000') ? raw.replace(NUL, '') : raw
}

/**
 * Every field through the normalizer of its kind, NULs dropped first. Only the fields given are returned
 * (a partial update stays partial); fields the engine does not know are trimmed.
 */
export function normalizeFields(objectType: ObjectType, fields: Fields, options: NormalizeOptions = {}): Fields {
  const kinds = FIELD_KINDS[objectType]
  const out: Fields = {}
  for (const field in fields) {
    const value = withoutNul(fields[field])
    switch (kinds[field]) {
      case 'email': out[field] = normalizeEmail(value); break
      case 'phone': out[field] = normalizePhone(value, options.defaultCountry); break
      case 'text': out[field] = field === 'domain' ? normalizeDomain(value) : normalizeName(value); break
      case 'notes': out[field] = normalizeNotes(value); break
      case 'score': out[field] = normalizeDecimal(value); break
      case 'datetime': out[field] = normalizeDatetime(value); break
      default: out[field] = normalizeText(value)
    }
  }
  return out
}
