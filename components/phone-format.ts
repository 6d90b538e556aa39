import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { FIELD_KINDS, type Fields, type ObjectType } from '@/lib/crm/types'

// Phones as people read them. The app stores E.164 (+13125550183); the dashboard showed that
// in some places and formatted numbers in others. Shown in the national format when the
// number is of the workspace's phone country (the one the lead form reads a number without a
// + code in, so what is shown is what a person would type back), else internationally, with
// its + code. Server-side only (libphonenumber-js/max, as lib/crm/normalize.ts): the client
// components get the text. https://gitlab.com/catamphetamine/libphonenumber-js#formatnationalstring

export interface ShownPhone {
  text: string
  /** The stored E.164, for a tel: link and a title; null when what is stored is not a valid number (shown as it is). */
  e164: string | null
}

export function shownPhone(stored: string, country: string): ShownPhone {
  const parsed = stored.startsWith('+') ? parsePhoneNumberFromString(stored) : undefined
  if (!parsed?.isValid() || parsed.number !== stored) return { text: stored, e164: null }
  return { text: parsed.country === country.toUpperCase() ? parsed.formatNational() : parsed.formatInternational(), e164: stored }
}

/** A record's fields with its phone fields (FIELD_KINDS) as shown; the rest unchanged. */
export function shownFields(objectType: string, fields: Fields, country: string): Fields {
  const kinds = FIELD_KINDS[objectType as ObjectType] ?? {}
  return Object.fromEntries(Object.entries(fields).map(([f, v]) => [f, v !== null && kinds[f] === 'phone' ? shownPhone(v, country).text : v]))
}
