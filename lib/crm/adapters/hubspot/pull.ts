import type { ObjectType, RemoteOwner, RemoteRecord } from '../../types'
import type { Page, SearchPage } from '../types'
import type { HubSpotApi } from './client'
import { LAST_MODIFIED, OBJECT_PATH, pickCompany, propertiesFor, toRemoteOwner, toRemoteRecord } from './mapping'
import { associationsBatchSchema, batchResponseSchema, listResponseSchema, ownersResponseSchema, searchResponseSchema } from './schemas'
import { parseResponse } from './parse'

export const LIST_PAGE_SIZE = 100 // the list endpoint's maximum
export const SEARCH_PAGE_SIZE = 200 // the search endpoint's maximum
export const SEARCH_RESULT_CAP = 10_000 // "Attempting to page beyond 10,000 will result in a 400"

const ASSOCIATED: Record<ObjectType, string[]> = { contact: ['companies'], company: [], deal: ['companies', 'contacts'] }

// https://developers.hubspot.com/docs/api/crm/understanding-the-crm (GET /crm/v3/objects/{type})
// The hot read paths go through the SDK's apiRequest and our schemas (see HubSpotApi.json).
// `extra`: the connection's extra properties for this type (settings.extraProperties).
export async function listPage(api: HubSpotApi, type: ObjectType, after: string | null, extra: readonly string[], archived = false): Promise<Page<RemoteRecord>> {
  const associations = archived || ASSOCIATED[type].length === 0 ? undefined : ASSOCIATED[type]
  const body = await api.json('general', {
    method: 'GET',
    path: `/crm/v3/objects/${OBJECT_PATH[type]}`,
    qs: { limit: LIST_PAGE_SIZE, after: after ?? undefined, properties: propertiesFor(type, extra), associations, archived },
  }, listResponseSchema, 'list')
  return { records: body.results.map((o) => toRemoteRecord(type, o, associations !== undefined, extra)), next: body.paging?.next?.after ?? null }
}

// https://developers.hubspot.com/docs/api/crm/search — one sort, filters ANDed in a group.
export async function searchModifiedSince(api: HubSpotApi, type: ObjectType, extra: readonly string[], since: Date, after: string | null,
  tieBreak?: { at: Date; afterId: string }): Promise<SearchPage> {
  const lastModified = LAST_MODIFIED[type]
  const filters = tieBreak
    ? [
        { propertyName: lastModified, operator: 'EQ', value: String(tieBreak.at.getTime()) },
        { propertyName: 'hs_object_id', operator: 'GT', value: tieBreak.afterId },
      ]
    : [{ propertyName: lastModified, operator: 'GTE', value: String(since.getTime()) }]
  const request = {
    filterGroups: [{ filters }],
    sorts: [{ propertyName: tieBreak ? 'hs_object_id' : lastModified, direction: 'ASCENDING' }],
    properties: propertiesFor(type, extra),
    limit: SEARCH_PAGE_SIZE,
    after: after ?? undefined,
  }
  const body = await api.json('search', { method: 'POST', path: `/crm/v3/objects/${OBJECT_PATH[type]}/search`, body: request },
    searchResponseSchema, 'search')
  return {
    records: body.results.map((o) => toRemoteRecord(type, o, false, extra)),
    next: body.paging?.next?.after ?? null,
    total: body.total,
  }
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/read, 100 ids)
export async function readBatch(api: HubSpotApi, type: ObjectType, ids: string[], extra: readonly string[]): Promise<RemoteRecord[]> {
  const out: RemoteRecord[] = []
  for (let i = 0; i < ids.length; i += LIST_PAGE_SIZE) {
    const inputs = ids.slice(i, i + LIST_PAGE_SIZE).map((id) => ({ id }))
    try {
      const body = await api.json('general', {
        method: 'POST', path: `/crm/v3/objects/${OBJECT_PATH[type]}/batch/read`, qs: { archived: false },
        body: { inputs, properties: propertiesFor(type, extra), propertiesWithHistory: [] },
      }, batchResponseSchema, 'batch read')
      out.push(...body.results.map((o) => toRemoteRecord(type, o, false, extra)))
    } catch (e) {
      // Every id missing: HubSpot answers 404 rather than a 207.
      if ((e as { type?: string }).type !== 'not_found') throw e
    }
  }
  return out
}

// Search and batch read return no associations: read them with the v4 batch API.
// https://developers.hubspot.com/docs/api/crm/associations (batch/read, 1,000 inputs)
export async function loadAssociations(api: HubSpotApi, type: ObjectType, records: RemoteRecord[]): Promise<void> {
  if (records.length === 0 || ASSOCIATED[type].length === 0) return
  const byId = new Map(records.map((r) => [r.remoteId, r]))
  for (const r of records) {
    r.associations = type === 'deal' ? { companyRemoteId: null, contactRemoteIds: [] } : { companyRemoteId: null }
  }
  for (const to of ASSOCIATED[type]) {
    for (let i = 0; i < records.length; i += 1000) {
      const inputs = records.slice(i, i + 1000).map((r) => ({ id: r.remoteId }))
      const body = await api.json('general', {
        method: 'POST', path: `/crm/v4/associations/${OBJECT_PATH[type]}/${to}/batch/read`, body: { inputs },
      }, associationsBatchSchema, 'associations')
      for (const row of body.results) {
        const rec = byId.get(row.from.id)
        if (!rec?.associations) continue
        if (to === 'contacts') rec.associations.contactRemoteIds = row.to.map((t) => t.toObjectId)
        else {
          // Primary company: type 1 (contact) or 5 (deal).
          rec.associations.companyRemoteId = pickCompany(row.to.map((t) => ({
            id: t.toObjectId, primary: t.associationTypes?.some((a) => a.typeId === 1 || a.typeId === 5) ?? false,
          })))
        }
      }
    }
  }
}

// https://developers.hubspot.com/docs/api/crm/owners — `archived`: "Whether to return only
// results that have been archived" (the spec's words; default false), so the active owners
// and the deactivated ones are two listings of the same PublicOwner shape (archived: true,
// userId null for a deactivated user). SDK: getPage(email, after, limit, archived).
export async function listOwners(api: HubSpotApi, after: string | null, archived: boolean): Promise<Page<RemoteOwner>> {
  const res = await api.call('general', (c) => c.crm.owners.ownersApi.getPageWithHttpInfo(undefined, after ?? undefined, 100, archived))
  const body = parseResponse(ownersResponseSchema, res, 'owners')
  return { records: body.results.map(toRemoteOwner), next: body.paging?.next?.after ?? null }
}
