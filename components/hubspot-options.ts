// HubSpot's default options for the enumerations the leads list shows, with the labels
// HubSpot's own screens give them: the app stores the internal values (what the API
// reads and writes), a person reads the labels. A portal may rename these or add its own;
// a value not listed here is shown as it is.
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

/** The label HubSpot shows for a stored value; the value itself when HubSpot has no default label for it. */
export function optionLabel(field: OptionField, value: string | null): string | null {
  return value === null ? null : LABELS[field].get(value) ?? value
}
