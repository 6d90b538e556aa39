// The engine's own vocabulary, shared by every adapter, the resolver and the store.
// Field values are strings or null, as CRMs send them; the store converts types.

export const OBJECT_TYPES = ['contact', 'company', 'deal'] as const
export type ObjectType = (typeof OBJECT_TYPES)[number]
export const SYNC_OBJECT_TYPES = ['owner', 'company', 'contact', 'deal'] as const
export type SyncObjectType = (typeof SYNC_OBJECT_TYPES)[number]
/** The plural names: a sync summary's `objects` keys, and the CLI's --objects. */
export const PLURAL = { owner: 'owners', company: 'companies', contact: 'contacts', deal: 'deals' } as const satisfies Record<SyncObjectType, string>
export type PluralObjectType = (typeof PLURAL)[SyncObjectType]

/** The canonical fields of each object type, camelCase, as the app's tables hold them. */
export const CANONICAL_FIELDS = {
  contact: ['email', 'phone', 'firstName', 'lastName', 'jobTitle', 'companyName', 'lifecycleStage',
    'leadStatus', 'description', 'ownerRemoteId', 'lastActivityAt', 'leadSourceSystem'],
  company: ['name', 'domain', 'phone', 'industry', 'city', 'country', 'description', 'ownerRemoteId',
    'lastActivityAt'],
  deal: ['name', 'amount', 'stage', 'pipeline', 'closeDate', 'description', 'ownerRemoteId', 'lastActivityAt'],
} as const satisfies Record<ObjectType, readonly string[]>

/** Fields the CRM alone maintains: a local edit to them is never pushed, weighed or carried. */
export const CRM_OWNED_FIELDS: ReadonlySet<string> = new Set(['lastActivityAt', 'leadSourceSystem'])

/**
 * The fields that say which record it is in the CRM: a contact's email and phone, a company's
 * domain (HubSpot dedupes companies and associates contacts with them by it; Syncline itself
 * matches only contacts by theirs, lib/crm/identity.ts, and companies by link). On a merge
 * HubSpot keeps the survivor's own (the merged-away contact's email becomes a secondary one),
 * so an app edit of the merged-away record's value never silently replaces the survivor's
 * (lib/crm/pull/merge-edits.ts: identityOnSurvivor).
 * https://knowledge.hubspot.com/records/merge-records
 * https://knowledge.hubspot.com/articles/kcs_article/companies/what-happens-when-i-merge-two-companies
 */
export const IDENTITY_FIELDS: { readonly [T in ObjectType]: readonly CanonicalField<T>[] } =
  { contact: ['email', 'phone'], company: ['domain'], deal: [] }

export type CanonicalField<T extends ObjectType = ObjectType> = (typeof CANONICAL_FIELDS)[T][number]
export type Fields = Record<string, string | null>

/** How a field's values combine under the field_merge strategy. */
export type FieldKind = 'text' | 'notes' | 'score' | 'email' | 'phone' | 'enum' | 'datetime' | 'reference'

export const FIELD_KINDS: Record<ObjectType, Record<string, FieldKind>> = {
  contact: { email: 'email', phone: 'phone', firstName: 'text', lastName: 'text', jobTitle: 'text',
    companyName: 'text', lifecycleStage: 'enum', leadStatus: 'enum', description: 'notes',
    ownerRemoteId: 'reference', lastActivityAt: 'datetime', leadSourceSystem: 'text' },
  company: { name: 'text', domain: 'text', phone: 'phone', industry: 'enum', city: 'text', country: 'text',
    description: 'notes', ownerRemoteId: 'reference', lastActivityAt: 'datetime' },
  deal: { name: 'text', amount: 'score', stage: 'enum', pipeline: 'enum', closeDate: 'datetime',
    description: 'notes', ownerRemoteId: 'reference', lastActivityAt: 'datetime' },
}

/** A record as a CRM holds it, already mapped to canonical fields by its adapter. */
export interface RemoteRecord {
  remoteId: string
  fields: Fields
  /** When the CRM last modified the record (its lastmodifieddate). */
  updatedAt: Date
  createdAt: Date
  archived: boolean
  /** Per-field modification times, where the CRM gives them. */
  fieldUpdatedAt?: Record<string, Date>
  /** Records the CRM merged into this one (their ids now point here). */
  mergedRemoteIds?: string[]
  /** The local id we stamped on it when we created it (HubSpot: syncline_id): finds it again after a crash. */
  originLocalId?: string
  /**
   * The connection's extra properties (settings.extraProperties), by the CRM's internal
   * name, non-empty values only: they land in the record's crm_properties, CRM → app only.
   * Unset: the read did not ask for them (the local row keeps what it has).
   */
  extra?: Fields
  /** Remote ids of associated records: primary company; contacts of a deal. */
  associations?: { companyRemoteId?: string | null; contactRemoteIds?: string[] }
}

/** Stand-ins for records known only by id, for CrmAdapter.loadAssociations to fill in. */
export function associationProbes(remoteIds: string[]): RemoteRecord[] {
  return remoteIds.map((remoteId) => ({ remoteId, fields: {}, updatedAt: new Date(0), createdAt: new Date(0), archived: false }))
}

/** One option of an enumerated field, as the CRM's portal defines it. */
export interface FieldOption {
  value: string
  label: string
  /** Not offered for new values in the CRM's screens; records may still hold it. */
  hidden: boolean
}

export interface RemoteOwner {
  remoteId: string
  email: string | null
  firstName: string | null
  lastName: string | null
  userId: string | null
  archived: boolean
  updatedAt: Date
}

/** Where a sync run was started from. */
export type SyncTrigger = 'initial' | 'manual' | 'cron' | 'webhook' | 'cli'
export type SyncDirection = 'pull' | 'push' | 'bidirectional'
