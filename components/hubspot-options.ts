// HubSpot's default options for the enumerations the leads list shows, with the labels
// HubSpot's own screens give them: the app stores the internal values (what the API
// reads and writes), a person reads the labels. A portal may rename these or add its own:
// the sync reads each portal's options once a day (crm_connections.field_options), and
// those come first; a value in neither list is shown as it is.
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

const LABELS = Object.fromEntries(
  Object.entries(HUBSPOT_OPTIONS).map(([field, options]) => [field, new Map<string, string>(options)]),
) as Record<OptionField, Map<string, string>>

/** A portal's own options, as [value, label] pairs per field (lib/store/field-options.ts). */
export type PortalOptions = Partial<Record<string, ReadonlyArray<readonly [string, string]>>>

/** The label for a stored value: the portal's, else HubSpot's default, else the value itself. */
export function optionLabel(field: OptionField, value: string | null, portal?: PortalOptions): string | null {
  if (value === null) return null
  return portal?.[field]?.find(([v]) => v === value)?.[1] ?? LABELS[field].get(value) ?? value
}

/** The options to suggest for a field: the portal's when the sync has read them, else HubSpot's defaults. */
export function optionsFor(field: OptionField, portal?: PortalOptions): ReadonlyArray<readonly [string, string]> {
  const own = portal?.[field]
  return own && own.length > 0 ? own : HUBSPOT_OPTIONS[field]
}
