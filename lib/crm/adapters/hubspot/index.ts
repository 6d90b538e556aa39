import type { ObjectType } from '../../types'
import type { CrmAdapter } from '../types'
import { HubSpotApi, type HubSpotClientOptions } from './client'
import { LIST_PAGE_SIZE, SEARCH_RESULT_CAP, listOwners, listPage, loadAssociations, readBatch, searchModifiedSince } from './pull'
import { archiveBatch, associateBatch, dissociateBatch, ensureSchema, updateBatch, upsertBatch } from './push'
import { accountId } from './account'
import { checkExtraProperties, readPortalProperties } from './properties'

export type HubSpotAdapterOptions = HubSpotClientOptions & {
  /** The connection's extra properties per object type (settings.extraProperties): read with every record. */
  extraProperties?: Partial<Record<ObjectType, readonly string[]>>
}

export function createHubSpotAdapter(opts: HubSpotAdapterOptions): CrmAdapter {
  const api = new HubSpotApi(opts)
  const extra = (type: ObjectType) => opts.extraProperties?.[type] ?? []
  let schema: Promise<void> | undefined
  return {
    provider: 'hubspot',
    listPageSize: LIST_PAGE_SIZE,
    maxSearchResults: SEARCH_RESULT_CAP,
    maxBatchSize: 100,
    listPage: (type, after) => listPage(api, type, after, extra(type)),
    listArchivedPage: (type, after) => listPage(api, type, after, [], true),
    searchModifiedSince: (type, since, after, tieBreak) => searchModifiedSince(api, type, extra(type), since, after, tieBreak),
    readBatch: (type, ids) => readBatch(api, type, ids, extra(type)),
    checkExtraProperties: (type, names) => checkExtraProperties(api, type, names),
    readPortalProperties: (type, fields) => readPortalProperties(api, type, fields, extra(type)),
    loadAssociations: (type, records) => loadAssociations(api, type, records),
    listOwners: (after, archived) => listOwners(api, after, archived),
    upsertBatch: (type, inputs) => upsertBatch(api, type, inputs),
    updateBatch: (type, inputs) => updateBatch(api, type, inputs),
    archiveBatch: (type, ids) => archiveBatch(api, type, ids),
    associateBatch: (from, to, pairs) => associateBatch(api, from, to, pairs),
    dissociateBatch: (from, to, pairs) => dissociateBatch(api, from, to, pairs),
    ensureSchema: () => (schema ??= ensureSchema(api).catch((e) => { schema = undefined; throw e })),
    accountId: () => accountId(api),
    apiCalls: () => api.apiCalls(),
  }
}
