import type { FieldOption, Fields, ObjectType, RemoteOwner, RemoteRecord } from '../types'

export type ProviderId = 'hubspot'

export interface Page<T> {
  records: T[]
  /** Cursor of the next page; null when this was the last. */
  next: string | null
}

export interface SearchPage extends Page<RemoteRecord> {
  /** Total matches of the query, as the CRM reports it. */
  total: number
}

export interface PushInput {
  /** The local record's id: idempotency key and where results are reported. */
  localId: string
  fields: Fields
}

export interface PushResult {
  localId: string
  ok: boolean
  remoteId?: string
  record?: RemoteRecord
  error?: string
  /** True when the CRM rejected this input itself (retrying the same input won't help). */
  permanent?: boolean
}

/**
 * What the engine needs from a CRM. Each CRM is a folder under adapters/ with the same
 * file names; the registry maps its id to a factory. Every method counts its API calls.
 */
export interface PortalProperties {
  options: Record<string, FieldOption[]>
  /** The connection's extra properties for the type that the CRM does not have (any more). */
  missingExtra: string[]
}

export interface CrmAdapter {
  readonly provider: ProviderId
  /** Largest page the full listing returns; drives checkpoint granularity. */
  readonly listPageSize: number
  /** Full sync: every live record, page by page. */
  listPage(type: ObjectType, after: string | null): Promise<Page<RemoteRecord>>
  /** Archived (deleted) records, page by page. */
  listArchivedPage(type: ObjectType, after: string | null): Promise<Page<RemoteRecord>>
  /**
   * Incremental: records modified at or after `since`, oldest first. `after` pages within
   * one query; the adapter's `maxSearchResults` is the cap past which a query must restart.
   */
  searchModifiedSince(type: ObjectType, since: Date, after: string | null, tieBreak?: { at: Date; afterId: string }): Promise<SearchPage>
  readonly maxSearchResults: number
  /** Current state of the given ids (live ones only); missing ids are not in `records`. */
  readBatch(type: ObjectType, ids: string[]): Promise<RemoteRecord[]>
  /** Fills `associations` on records that came from an endpoint without them. */
  loadAssociations(type: ObjectType, records: RemoteRecord[]): Promise<void>
  /** One page of the portal's owners: the active ones, or (`archived`) only the deactivated ones. */
  listOwners(after: string | null, archived: boolean): Promise<Page<RemoteOwner>>
  /** Push. Batches of at most `maxBatchSize`. */
  readonly maxBatchSize: number
  /**
   * Creates records keyed by the local id (a unique custom property in the CRM), so a
   * retry after a crash between the CRM's acknowledgement and our commit finds the record
   * instead of creating a duplicate.
   */
  upsertBatch(type: ObjectType, inputs: PushInput[]): Promise<PushResult[]>
  updateBatch(type: ObjectType, inputs: Array<PushInput & { remoteId: string }>): Promise<PushResult[]>
  archiveBatch(type: ObjectType, remoteIds: string[]): Promise<void>
  /** Associates records with the CRM's default (primary where it has one) association type. */
  associateBatch(from: ObjectType, to: ObjectType, pairs: Array<{ fromId: string; toId: string }>): Promise<void>
  /** Removes every association between each pair (of any type or label). */
  dissociateBatch(from: ObjectType, to: ObjectType, pairs: Array<{ fromId: string; toId: string }>): Promise<void>
  /** The CRM account's id (HubSpot: the portal id), which webhooks carry. */
  accountId(): Promise<string>
  /**
   * Refuses (CrmError 'validation', naming them) extra properties the CRM does not have for
   * this type, or that the engine already maps to columns.
   */
  checkExtraProperties(type: ObjectType, names: readonly string[]): Promise<void>
  /**
   * One call per type: the portal's options of enumerated canonical fields (e.g. a contact's
   * lifecycleStage), by field, and which of the connection's extra properties for the type
   * the CRM no longer has.
   */
  readPortalProperties(type: ObjectType, fields: readonly string[]): Promise<PortalProperties>
  /** Makes sure the custom properties the engine writes exist in the CRM. */
  ensureSchema(): Promise<void>
  apiCalls(): number
}
