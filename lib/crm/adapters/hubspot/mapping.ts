import { withoutNul } from '../../normalize'
import type { Fields, ObjectType, RemoteOwner, RemoteRecord } from '../../types'
import type { HubSpotObject, HubSpotOwner } from './schemas'

// HubSpot property ⇄ canonical field. Pure, so the mapping is tested by table.
// https://knowledge.hubspot.com/properties/hubspots-default-contact-properties
export const PROPERTY_OF: Record<ObjectType, Record<string, string>> = {
  contact: {
    email: 'email', phone: 'phone', firstName: 'firstname', lastName: 'lastname', jobTitle: 'jobtitle',
    companyName: 'company', lifecycleStage: 'lifecyclestage', leadStatus: 'hs_lead_status',
    description: 'message', ownerRemoteId: 'hubspot_owner_id', lastActivityAt: 'notes_last_updated',
    leadSourceSystem: 'lead_source_system',
  },
  company: {
    name: 'name', domain: 'domain', phone: 'phone', industry: 'industry', city: 'city', country: 'country',
    description: 'description', ownerRemoteId: 'hubspot_owner_id', lastActivityAt: 'notes_last_updated',
  },
  deal: {
    name: 'dealname', amount: 'amount', stage: 'dealstage', pipeline: 'pipeline', closeDate: 'closedate',
    description: 'description', ownerRemoteId: 'hubspot_owner_id', lastActivityAt: 'notes_last_updated',
  },
}

/** Fields HubSpot maintains itself; never pushed. */
const READ_ONLY = new Set(['lastActivityAt'])

export const OBJECT_PATH: Record<ObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' }

// Contacts keep their modification time in `lastmodifieddate`, other objects in
// `hs_lastmodifieddate`. https://developers.hubspot.com/docs/api/crm/search
export const LAST_MODIFIED: Record<ObjectType, string> = {
  contact: 'lastmodifieddate',
  company: 'hs_lastmodifieddate',
  deal: 'hs_lastmodifieddate',
}

const MERGED_IDS = 'hs_merged_object_ids'
/** The unique custom property holding our local id on records we created: the stable key of every create. */
export const SYNC_ID_PROPERTY = 'syncline_id'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const propertyLists = Object.fromEntries(
  (Object.keys(PROPERTY_OF) as ObjectType[]).map((t) => [
    t,
    [...Object.values(PROPERTY_OF[t]), LAST_MODIFIED[t], 'createdate', MERGED_IDS, SYNC_ID_PROPERTY],
  ]),
) as Record<ObjectType, string[]>

/** The properties every read asks for: the mapped ones, then the connection's extra ones. */
export function propertiesFor(type: ObjectType, extra: readonly string[] = []): string[] {
  return extra.length ? [...propertyLists[type], ...extra.filter((p) => !propertyLists[type].includes(p))] : propertyLists[type]
}

/** Properties Syncline reads for its own columns and bookkeeping: an extra property may not be one of them. */
export function isMappedProperty(type: ObjectType, name: string): boolean {
  return propertyLists[type].includes(name)
}

/**
 * `associationsRequested`: the read asked for associations (the list endpoint's
 * `associations=`), so a record without the key has none, rather than unknown ones: HubSpot
 * leaves the key out for a record with no associations.
 */
export function toRemoteRecord(type: ObjectType, obj: HubSpotObject, associationsRequested = false, extra?: readonly string[]): RemoteRecord {
  const fields: Fields = {}
  for (const [field, prop] of Object.entries(PROPERTY_OF[type])) {
    const v = obj.properties[prop]
    fields[field] = v === undefined || v === '' ? null : v
  }
  const record: RemoteRecord = {
    remoteId: obj.id,
    fields,
    createdAt: obj.createdAt,
    updatedAt: obj.updatedAt,
    archived: obj.archived ?? false,
  }
  if (extra) record.extra = extraValues(obj.properties, extra)
  const merged = obj.properties[MERGED_IDS]
  if (merged) record.mergedRemoteIds = merged.split(';').filter(Boolean)
  const origin = obj.properties[SYNC_ID_PROPERTY]
  if (origin && UUID.test(origin)) record.originLocalId = origin.toLowerCase()
  if (obj.associations || associationsRequested) record.associations = associationsOf(type, obj.associations ?? {})
  return record
}

/**
 * The extra properties' non-empty values (HubSpot sends "" or null for an empty one, or leaves
 * it out). They skip the normalizers, so NULs are dropped here: crm_properties is jsonb, which
 * cannot hold one (see withoutNul).
 */
function extraValues(properties: HubSpotObject['properties'], names: readonly string[]): Fields {
  const out: Fields = {}
  for (const name of names) {
    const v = withoutNul(properties[name] ?? null)
    if (v !== null && v !== '') out[name] = v
  }
  return out
}

type V3Associations = NonNullable<HubSpotObject['associations']>

/**
 * The one company a record's company column takes, of those HubSpot associates with it:
 * the primary, else (none marked primary) the lowest id. Not "the first listed": the v3
 * read and the v4 association read may list them in different orders, and the daily
 * association check compares one with the other.
 */
export function pickCompany(companies: ReadonlyArray<{ id: string; primary: boolean }>): string | null {
  let pick: { id: string; primary: boolean } | undefined
  for (const c of companies) {
    if (!pick || (c.primary && !pick.primary) || (c.primary === pick.primary && lowerId(c.id, pick.id))) pick = c
  }
  return pick?.id ?? null
}

/** HubSpot ids are decimal strings, too long for a safe number: shorter is lower, then by digits. */
function lowerId(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b
}

function associationsOf(type: ObjectType, a: V3Associations): RemoteRecord['associations'] {
  const companies = a.companies?.results ?? []
  const out: NonNullable<RemoteRecord['associations']> = {}
  // The primary company comes with the unlabelled type id 1 / 5 ("..._to_company").
  if (type !== 'company') out.companyRemoteId = pickCompany(companies.map((r) => ({ id: r.id, primary: r.type === `${type}_to_company` })))
  if (type === 'deal') out.contactRemoteIds = [...new Set((a.contacts?.results ?? []).map((r) => r.id))]
  return out
}

/** Canonical fields → HubSpot properties for a write. null clears ("" in HubSpot). */
export function toProperties(type: ObjectType, fields: Fields): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, value] of Object.entries(fields)) {
    const prop = PROPERTY_OF[type][field]
    if (!prop || READ_ONLY.has(field)) continue
    out[prop] = value ?? ''
  }
  return out
}

export function toRemoteOwner(o: HubSpotOwner): RemoteOwner {
  return {
    remoteId: o.id,
    email: o.email ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
    userId: o.userId == null ? null : String(o.userId),
    archived: o.archived ?? false,
    updatedAt: o.updatedAt,
  }
}
