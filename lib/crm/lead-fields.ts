import { z } from 'zod'
import type { NewLead } from '../store/local-writes'
import { CrmError } from './errors'
import { fieldLabel } from './field-labels'
import { LEAD_MAX_LENGTH } from './lead-limits'
import { OPTION_FIELDS, optionValue, type PortalOptions } from './lead-options'
import { normalizeEmail, normalizeName, normalizeNotes, normalizePhone, normalizeText } from './normalize'

// A lead's fields as a person (or an import) gives them, and the canonical form the app's
// tables hold: shared by the import and the dashboard's add and edit forms.

// Postgres text cannot hold a NUL (\u0000): refused here, naming the field, rather than
// failing the write with "invalid byte sequence for encoding UTF8: 0x00". Nor can UTF-8 encode
// a lone surrogate (JSON's "\ud800" without its pair): the driver wrote U+FFFD in its place
// ("A\ud800B" stored as "A�B", then pushed to HubSpot), so it is refused too.
const text = (max: number) => z.string().max(max, `at most ${max} characters`)
  .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character (\\u0000)')
  .refine((s) => s.isWellFormed(), 'must not contain a lone surrogate (a \\ud800–\\udfff escape without its pair)')
  .nullish()
const L = LEAD_MAX_LENGTH
export const leadFieldsSchema = z.strictObject({
  email: text(L.email),
  phone: text(L.phone),
  firstName: text(L.firstName),
  lastName: text(L.lastName),
  jobTitle: text(L.jobTitle),
  companyName: text(L.companyName),
  lifecycleStage: text(L.lifecycleStage),
  leadStatus: text(L.leadStatus),
  description: text(L.description),
})
export type LeadFields = z.infer<typeof leadFieldsSchema>

const NORMALIZE: { [K in keyof NewLead]: (v: string | null | undefined, country: string) => string | null } = {
  email: (v) => normalizeEmail(v),
  phone: (v, country) => normalizePhone(v, country),
  firstName: normalizeName,
  lastName: normalizeName,
  jobTitle: normalizeName,
  companyName: normalizeName,
  lifecycleStage: normalizeText,
  leadStatus: normalizeText,
  description: normalizeNotes,
}

// HubSpot checks an email's format on every contact create or update: valid under RFC 2822,
// not quoted before the @, and ending in a real TLD, Unicode TLDs included ("user@email.삼성"
// is valid, it says). https://legacydocs.hubspot.com/docs/faq/how-does-hubspot-validate-email-addresses
// RFC 2822's local part (before the @) is ASCII only, so "Zoë@example.com" is refused here,
// with the reason, rather than stored and then refused by the push. UNVERIFIED against a live
// portal: the page does not name non-ASCII local parts itself. A Unicode domain is let through,
// as the page says HubSpot takes one.
const NON_ASCII = /[^\x00-\x7f]/u

/** Why HubSpot would refuse this (normalized) email, or null. */
export function emailHubSpotRefuses(email: string): string | null {
  const local = email.slice(0, email.lastIndexOf('@'))
  const odd = NON_ASCII.exec(local)
  if (odd) return `has "${odd[0]}" before the @: HubSpot takes only ASCII letters, digits and punctuation there`
  if (local.includes('"')) return 'is quoted before the @, which HubSpot does not take'
  return null
}

/**
 * The given fields (only those present) in canonical form. An email or phone that cannot
 * be read is refused, its message led by `label` when given ("contact 3: …"), rather than
 * stored as null. Lifecycle stage and lead status are stored as the option's value, a label
 * typed as the dashboard shows it included, and refused when the portal's `options` (the
 * sync's read of them) have neither (see optionValue).
 */
export function normalizeLeadFields(fields: LeadFields, country: string, label?: string, options?: PortalOptions): Partial<NewLead> {
  const refuse = (what: string) => new CrmError('validation', label ? `${label}: ${what}` : what[0].toUpperCase() + what.slice(1))
  const out: Partial<NewLead> = {}
  for (const key of Object.keys(fields) as Array<keyof NewLead>) {
    if (fields[key] === undefined) continue
    out[key] = NORMALIZE[key](fields[key], country)
  }
  if (fields.email && !out.email) throw refuse(`email "${fields.email.slice(0, 80)}" is not an email address`)
  const hubspotRefuses = out.email ? emailHubSpotRefuses(out.email) : null
  if (fields.email && hubspotRefuses) throw refuse(`email "${fields.email.slice(0, 80)}" ${hubspotRefuses}`)
  if (fields.phone && !out.phone) throw refuse(`phone "${fields.phone.slice(0, 40)}" is not a phone number`)
  for (const field of OPTION_FIELDS) {
    const typed = out[field]
    if (!typed) continue
    const option = optionValue(field, typed, options)
    if (!option.ok) throw refuse(option.error)
    out[field] = option.value
  }
  return out
}

/**
 * `value` parsed with a lead body's schema (one lead, or an import's array), or a 400 whose
 * message names each field by the label the form shows: "First name: at most 100
 * characters", "contact 3: Email: …" in an import (as normalizeLeadFields says it), where
 * zod's own would say "3.email: Too big: expected string to have <=254 characters".
 */
export function parseLeadBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new CrmError('validation', parsed.error.issues.map((i) => {
    const where = i.path.map((p) => (typeof p === 'number' ? `contact ${p}` : fieldLabel(String(p))))
    return [...where, i.message].join(': ')
  }).join('; '), { cause: parsed.error })
}
