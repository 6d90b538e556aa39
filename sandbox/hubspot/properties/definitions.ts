import type { ObjectType } from '../object-types.js'

// https://developers.hubspot.com/docs/api/crm/properties — the built-in properties Syncline
// syncs, with HubSpot's types. Everything else must be created through the Properties API.
export type PropertyType = 'bool' | 'date' | 'datetime' | 'enumeration' | 'number' | 'phone_number' | 'string'

export interface PropertyOption {
  label: string
  value: string
  displayOrder: number
  hidden: boolean
  description?: string
}

export interface PropertyDef {
  name: string
  label: string
  type: PropertyType
  fieldType: string
  groupName: string
  description: string
  options: PropertyOption[]
  displayOrder: number
  hasUniqueValue: boolean
  hidden: boolean
  formField: boolean
  calculated: boolean
  externalOptions: boolean
  hubspotDefined: boolean
  readOnlyValue: boolean
  createdAt: number
  updatedAt: number
  archived: boolean
  archivedAt?: number
}

const opts = (values: string[], labels?: string[]): PropertyOption[] =>
  values.map((value, i) => ({ label: labels?.[i] ?? value, value, displayOrder: i, hidden: false }))

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']
export const LEAD_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']
// The labels HubSpot's own screens give its default options.
// https://knowledge.hubspot.com/records/use-lifecycle-stages
// https://knowledge.hubspot.com/properties/hubspots-default-contact-properties
const LIFECYCLE_LABELS = ['Subscriber', 'Lead', 'Marketing Qualified Lead', 'Sales Qualified Lead', 'Opportunity', 'Customer', 'Evangelist', 'Other']
const LEAD_STATUS_LABELS = ['New', 'Open', 'In Progress', 'Open Deal', 'Unqualified', 'Attempted to Contact', 'Connected', 'Bad Timing']
export const PIPELINES: Record<string, string[]> = {
  default: ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'],
  // A second pipeline with numeric stage ids, as custom pipelines have in real portals.
  '75e28846': ['1062961', '1062962', '1062963', '1062964'],
}
export const INDUSTRIES = ['ACCOUNTING', 'COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'MARKETING_AND_ADVERTISING', 'RETAIL', 'CONSTRUCTION', 'TELECOMMUNICATIONS', 'LOGISTICS_AND_SUPPLY_CHAIN', 'EDUCATION_MANAGEMENT', 'REAL_ESTATE']

type Spec = [name: string, label: string, type: PropertyType, fieldType: string, extra?: Partial<PropertyDef>]

const ro = { readOnlyValue: true }
const common = (group: string): Spec[] => [
  ['createdate', 'Create Date', 'datetime', 'date'],
  ['hs_object_id', 'Record ID', 'number', 'number', ro],
  ['hubspot_owner_id', 'Owner', 'enumeration', 'select', { externalOptions: true }],
  ['notes_last_updated', 'Last Activity Date', 'datetime', 'date', ro],
  ['hs_merged_object_ids', 'Merged Record IDs', 'enumeration', 'checkbox', { ...ro, groupName: group }],
]

const SPECS: Record<ObjectType, { group: string; specs: Spec[] }> = {
  contacts: {
    group: 'contactinformation',
    specs: [
      ['email', 'Email', 'string', 'text'],
      ['firstname', 'First Name', 'string', 'text'],
      ['lastname', 'Last Name', 'string', 'text'],
      ['phone', 'Phone Number', 'string', 'phonenumber'],
      ['mobilephone', 'Mobile Phone Number', 'string', 'phonenumber'],
      ['fax', 'Fax Number', 'string', 'phonenumber'],
      ['company', 'Company Name', 'string', 'text'],
      ['jobtitle', 'Job Title', 'string', 'text'],
      // A default contact property (forms' "Message" field).
      ['message', 'Message', 'string', 'textarea'],
      ['website', 'Website URL', 'string', 'text'],
      ['city', 'City', 'string', 'text'],
      ['state', 'State/Region', 'string', 'text'],
      ['country', 'Country/Region', 'string', 'text'],
      ['zip', 'Postal Code', 'string', 'text'],
      ['address', 'Street Address', 'string', 'text'],
      ['hs_additional_emails', 'Additional email addresses', 'enumeration', 'checkbox', { readOnlyValue: true }],
      ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', { options: opts(LIFECYCLE_STAGES, LIFECYCLE_LABELS) }],
      ['hs_lead_status', 'Lead Status', 'enumeration', 'radio', { options: opts(LEAD_STATUSES, LEAD_STATUS_LABELS) }],
      ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', ro],
      ['hs_last_sales_activity_timestamp', 'Last Engagement Date', 'datetime', 'date', ro],
      ...common('contactinformation'),
    ],
  },
  companies: {
    group: 'companyinformation',
    specs: [
      ['name', 'Company name', 'string', 'text'],
      ['domain', 'Company Domain Name', 'string', 'text'],
      ['website', 'Website URL', 'string', 'text'],
      ['phone', 'Phone Number', 'string', 'phonenumber'],
      ['industry', 'Industry', 'enumeration', 'select', { options: opts(INDUSTRIES) }],
      ['city', 'City', 'string', 'text'],
      ['state', 'State/Region', 'string', 'text'],
      ['country', 'Country/Region', 'string', 'text'],
      ['zip', 'Postal Code', 'string', 'text'],
      ['address', 'Street Address', 'string', 'text'],
      ['description', 'Description', 'string', 'textarea'],
      ['numberofemployees', 'Number of Employees', 'number', 'number'],
      ['annualrevenue', 'Annual Revenue', 'number', 'number'],
      ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', { options: opts(LIFECYCLE_STAGES, LIFECYCLE_LABELS) }],
      ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', ro],
      ...common('companyinformation'),
    ],
  },
  deals: {
    group: 'dealinformation',
    specs: [
      ['dealname', 'Deal Name', 'string', 'text'],
      ['amount', 'Amount', 'number', 'number'],
      ['dealstage', 'Deal Stage', 'enumeration', 'radio', { options: opts(Object.values(PIPELINES).flat()) }],
      ['pipeline', 'Pipeline', 'enumeration', 'select', { options: opts(Object.keys(PIPELINES), ['Sales Pipeline', 'Renewals']) }],
      ['closedate', 'Close Date', 'datetime', 'date'],
      ['description', 'Deal Description', 'string', 'textarea'],
      ['dealtype', 'Deal Type', 'enumeration', 'radio', { options: opts(['newbusiness', 'existingbusiness'], ['New Business', 'Existing Business']) }],
      ['hs_priority', 'Priority', 'enumeration', 'radio', { options: opts(['low', 'medium', 'high']) }],
      ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', ro],
      ...common('dealinformation'),
    ],
  },
}

const BUILT_IN_AT = Date.UTC(2019, 7, 6, 2, 41, 52)

export function builtInProperties(t: ObjectType): PropertyDef[] {
  const { group, specs } = SPECS[t]
  return specs.map(([name, label, type, fieldType, extra], i) => ({
    name, label, type, fieldType, groupName: group, description: '', options: [], displayOrder: i,
    hasUniqueValue: false, hidden: false, formField: true, calculated: false, externalOptions: false,
    hubspotDefined: true, readOnlyValue: false, createdAt: BUILT_IN_AT, updatedAt: BUILT_IN_AT, archived: false,
    ...extra,
  }))
}

/** A portal's own property (created through the Properties API, or seeded), with HubSpot's defaults for what `init` leaves out. */
export function customProperty(init: Pick<PropertyDef, 'name' | 'label' | 'type' | 'fieldType' | 'groupName'> & Partial<PropertyDef>, at: number): PropertyDef {
  return {
    description: '', options: [], displayOrder: -1, hasUniqueValue: false, hidden: false, formField: false, calculated: false,
    externalOptions: false, hubspotDefined: false, readOnlyValue: false, createdAt: at, updatedAt: at, archived: false, ...init,
  }
}

/** The public `Property` JSON shape. */
export function propertyJson(p: PropertyDef): Record<string, unknown> {
  return {
    updatedAt: new Date(p.updatedAt).toISOString(),
    createdAt: new Date(p.createdAt).toISOString(),
    name: p.name, label: p.label, type: p.type, fieldType: p.fieldType, description: p.description,
    groupName: p.groupName, options: p.options, displayOrder: p.displayOrder, calculated: p.calculated,
    externalOptions: p.externalOptions, hasUniqueValue: p.hasUniqueValue, hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue: p.readOnlyValue },
    formField: p.formField, dataSensitivity: 'non_sensitive', archived: p.archived,
    ...(p.archivedAt ? { archivedAt: new Date(p.archivedAt).toISOString() } : {}),
  }
}
