// HubSpot's default options for the enumerations the leads list shows, with the labels
// HubSpot's own screens give them: the app stores the internal values (what the API
// reads and writes), a person reads the labels. A portal may rename these or add its own:
// the sync reads each portal's options once a day (crm_connections.field_options), and
// those come first; a value in neither list is shown as it is. No imports: the dashboard's
// client components use these too.
// https://knowledge.hubspot.com/records/use-lifecycle-stages
// https://knowledge.hubspot.com/properties/hubspots-default-contact-properties
export const HUBSPOT_OPTIONS = {
  lifecycleStage: [
    ['subscriber', 'Subscriber'], ['lead', 'Lead'], ['marketingqualifiedlead', 'Marketing Qualified Lead'],
    ['salesqualifiedlead', 'Sales Qualified Lead'], ['opportunity', 'Opportunity'], ['customer', 'Customer'],
    ['evangelist', 'Evangelist'], ['other', 'Other'],
  ],
  leadStatus: [
    ['NEW', 'New'], ['OPEN', 'Open'], ['IN_PROGRESS', 'In Progress'], ['OPEN_DEAL', 'Open Deal'], ['UNQUALIFIED', 'Unqualified'],
    ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'], ['CONNECTED', 'Connected'], ['BAD_TIMING', 'Bad Timing'],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>

export type OptionField = keyof typeof HUBSPOT_OPTIONS
/** The contact fields that hold one of a portal's options: the dashboard shows their labels, the sync reads them. */
export const OPTION_FIELDS = Object.keys(HUBSPOT_OPTIONS) as OptionField[]
export const OPTION_FIELD_NAMES: Record<OptionField, string> = { lifecycleStage: 'lifecycle stage', leadStatus: 'lead status' }

/** A portal's own options, as [value, label] pairs per field (lib/store/field-options.ts). */
export type PortalOptions = Partial<Record<string, ReadonlyArray<readonly [string, string]>>>

/** The options to suggest for a field: the portal's when the sync has read them, else HubSpot's defaults. */
export function optionsFor(field: OptionField, portal?: PortalOptions): ReadonlyArray<readonly [string, string]> {
  const own = portal?.[field]
  return own && own.length > 0 ? own : HUBSPOT_OPTIONS[field]
}

/**
 * Pure: the value to store for what a person typed in an enumerated field. HubSpot refuses
 * anything but an option's internal value ("not one of the allowed options"), while the
 * dashboard shows labels, so a label typed as shown ("Sales Qualified Lead", any case) is
 * stored as its value. A value none of the options has is refused, listing them, only when
 * the sync has read the portal's own options: HubSpot's defaults alone cannot tell a
 * typo from a stage the portal added.
 */
export function optionValue(field: OptionField, typed: string, portal?: PortalOptions): { ok: true; value: string } | { ok: false; error: string } {
  const options = optionsFor(field, portal)
  if (options.some(([value]) => value === typed)) return { ok: true, value: typed }
  const lower = typed.toLowerCase()
  const match = options.find(([, label]) => label.toLowerCase() === lower) ?? options.find(([value]) => value.toLowerCase() === lower)
  if (match) return { ok: true, value: match[0] }
  if (!portal?.[field]?.length) return { ok: true, value: typed }
  const allowed = options.map(([value, label]) => (value === label ? value : `${label} (${value})`)).join(', ')
  return { ok: false, error: `${OPTION_FIELD_NAMES[field]} "${typed.slice(0, 64)}" is not one of this HubSpot portal's options: ${allowed}` }
}
