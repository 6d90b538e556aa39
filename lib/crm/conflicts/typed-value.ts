import { LEAD_MAX_LENGTH } from '../lead-limits'
import { emailHubSpotRefuses } from '../lead-fields'
import { OPTION_FIELDS, optionValue, type OptionField, type PortalOptions } from '../lead-options'
import { normalizeFields } from '../normalize'
import { FIELD_KINDS, type FieldKind, type ObjectType } from '../types'

// A value a person types for a conflicting field (resolve's `{ value }` choice) goes into
// the app's row and then to HubSpot, so it meets the rules the lead forms and the columns
// do. Before, one the normalizer could not read was written as typed: an amount "abc" or a
// date "soon" failed the write (a 500), an email "not-an-email" was stored and pushed.

const UNREADABLE: Partial<Record<FieldKind, string>> = {
  email: 'is not an email address',
  phone: 'is not a phone number',
  score: 'is not a number',
  datetime: 'is not a date (ISO 8601, such as 2026-12-01T09:30:00Z)',
}

export type TypedValue = { ok: true; value: string | null } | { ok: false; error: string }

/**
 * Pure: the canonical form of `value` for `field` of an `objectType`, or why it is refused.
 * Null (and blank) clears the field. A contact's fields take the lead form's lengths, and its
 * lifecycle stage and lead status one of the portal's `options` once the sync has read them.
 */
export function typedValue(objectType: ObjectType, field: string, value: string | null,
  opts: { defaultCountry?: string; options?: PortalOptions } = {}): TypedValue {
  if (value === null) return { ok: true, value: null }
  const no = (error: string): TypedValue => ({ ok: false, error })
  // Postgres text cannot hold a NUL, nor UTF-8 a lone surrogate (as lead-fields.ts refuses them).
  if (value.includes('\u0000')) return no('must not contain a NUL character (\\u0000)')
  if (!value.isWellFormed()) return no('must not contain a lone surrogate (a \\ud800–\\udfff escape without its pair)')
  const max = objectType === 'contact' ? (LEAD_MAX_LENGTH as Record<string, number>)[field] : undefined
  if (max !== undefined && value.length > max) return no(`at most ${max} characters`)
  return sendableValue(objectType, field, value, opts)
}

/**
 * Pure: the canonical form of a stored `value` (not null) for `field`, or why HubSpot could
 * not be sent it faithfully: one the normalizer cannot read (the pull's normalizer turns it
 * into null, which the push would have sent as "no value"), an email HubSpot refuses, an
 * option the portal does not have. typedValue's check after its own (the form's lengths);
 * the push's check of what a host app wrote to the tables with SQL (plan-push.ts).
 */
export function sendableValue(objectType: ObjectType, field: string, value: string,
  opts: { defaultCountry?: string; options?: PortalOptions } = {}): TypedValue {
  const no = (error: string): TypedValue => ({ ok: false, error })
  const kind = FIELD_KINDS[objectType][field]
  const out = normalizeFields(objectType, { [field]: value }, { defaultCountry: opts.defaultCountry })[field] ?? null
  const shown = `"${value.slice(0, 80)}"`
  if (out === null) {
    if (value.trim() === '') return { ok: true, value: null }
    return no(`${shown} ${field === 'domain' ? 'is not a domain name' : UNREADABLE[kind] ?? 'cannot be read'}`)
  }
  if (kind === 'email') {
    const refused = emailHubSpotRefuses(out)
    if (refused) return no(`${shown} ${refused}`)
  }
  if (objectType === 'contact' && OPTION_FIELDS.includes(field as OptionField)) {
    const option = optionValue(field as OptionField, out, opts.options)
    return option.ok ? { ok: true, value: option.value } : no(option.error)
  }
  return { ok: true, value: out }
}
