import { HubSpotError } from './errors.js'

export type ObjectType = 'contacts' | 'companies' | 'deals'
export const OBJECT_TYPES: ObjectType[] = ['contacts', 'companies', 'deals']

// https://developers.hubspot.com/docs/guides/crm/using-object-apis — paths accept the name or the id.
const TYPE_IDS: Record<ObjectType, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' }
const ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts', contact: 'contacts', '0-1': 'contacts',
  companies: 'companies', company: 'companies', '0-2': 'companies',
  deals: 'deals', deal: 'deals', '0-3': 'deals',
}

export const typeId = (t: ObjectType): string => TYPE_IDS[t]
export const canonicalType = (s: string): ObjectType | undefined => ALIASES[s.toLowerCase()]

/** Singular as used in webhook subscription types (`contact.creation`) and v3 association types. */
export const singular = (t: ObjectType): 'contact' | 'company' | 'deal' =>
  t === 'contacts' ? 'contact' : t === 'companies' ? 'company' : 'deal'

export function requireType(s: string): ObjectType {
  const t = canonicalType(s)
  // HubSpot answers an unknown object type with 400 "Unable to infer object type from: x".
  if (!t) throw new HubSpotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${s}`)
  return t
}

/** Contacts keep `lastmodifieddate`; companies and deals use `hs_lastmodifieddate`. */
export const modifiedProp = (t: ObjectType): string => (t === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate')

// Default properties per the v3 spec descriptions plus what real responses always include.
export const DEFAULT_READ_PROPS: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
}

// https://developers.hubspot.com/docs/api/crm/search — properties the `query` string searches.
export const QUERY_PROPS: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'hs_additional_emails', 'fax', 'mobilephone', 'company', 'hs_marketable_until_renewal'],
  companies: ['website', 'phone', 'name', 'domain'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
}
