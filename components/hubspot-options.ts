// Labels for the enumerations the leads list shows. The options themselves (HubSpot's
// defaults, a portal's own) and the mapping of a typed label to its value live in
// lib/crm/lead-options.ts, which the server's lead checks use too.
import { HUBSPOT_OPTIONS, OPTION_FIELDS, optionsFor, type OptionField, type PortalOptions } from '../lib/crm/lead-options'

export { HUBSPOT_OPTIONS, OPTION_FIELDS, optionsFor, type OptionField, type PortalOptions }

const LABELS = Object.fromEntries(
  Object.entries(HUBSPOT_OPTIONS).map(([field, options]) => [field, new Map<string, string>(options)]),
) as Record<OptionField, Map<string, string>>

/** The label for a stored value: the portal's, else HubSpot's default, else the value itself. */
export function optionLabel(field: OptionField, value: string | null, portal?: PortalOptions): string | null {
  if (value === null) return null
  return portal?.[field]?.find(([v]) => v === value)?.[1] ?? LABELS[field].get(value) ?? value
}
