import type { Fields, ObjectType } from '../../types'
import type { PushInput, PushResult } from '../types'
import type { HubSpotApi } from './client'
import { readableHubSpotMessage } from './errors'
import { OBJECT_PATH, SYNC_ID_PROPERTY, toProperties, toRemoteRecord } from './mapping'
import { parseResponse } from './parse'
import { batchResponseSchema } from './schemas'

export { SYNC_ID_PROPERTY }
export const ORIGIN_PROPERTY = 'lead_source_system'
export const ORIGIN_VALUE = 'syncline'

const GROUP: Record<ObjectType, string> = { contact: 'contactinformation', company: 'companyinformation', deal: 'dealinformation' }

// https://developers.hubspot.com/docs/api/crm/properties (create a custom property)
export async function ensureSchema(api: HubSpotApi): Promise<void> {
  for (const type of ['contact', 'company', 'deal'] as const) {
    const wanted = [
      { name: SYNC_ID_PROPERTY, label: 'Syncline ID', hasUniqueValue: true },
      ...(type === 'contact' ? [{ name: ORIGIN_PROPERTY, label: 'Lead Source System', hasUniqueValue: false }] : []),
    ]
    for (const p of wanted) {
      try {
        await api.call('general', (c) => c.crm.properties.coreApi.getByNameWithHttpInfo(OBJECT_PATH[type], p.name))
      } catch (e) {
        if ((e as { type?: string }).type !== 'not_found') throw e
        await api.call('general', (c) =>
          c.crm.properties.coreApi.createWithHttpInfo(OBJECT_PATH[type], {
            name: p.name, label: p.label, type: 'string', fieldType: 'text', groupName: GROUP[type], hasUniqueValue: p.hasUniqueValue,
          } as never),
        )
      }
    }
  }
}

function withOrigin(type: ObjectType, localId: string, fields: Fields): Record<string, string> {
  // A new record has nothing to clear: empty values are left out rather than sent as "".
  const props = Object.fromEntries(Object.entries(toProperties(type, fields)).filter(([, v]) => v !== ''))
  props[SYNC_ID_PROPERTY] = localId
  if (type === 'contact') props[ORIGIN_PROPERTY] = ORIGIN_VALUE
  return props
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/upsert by a unique property)
export async function upsertBatch(api: HubSpotApi, type: ObjectType, inputs: PushInput[]): Promise<PushResult[]> {
  if (inputs.length === 0) return []
  const body = {
    // objectWriteTraceId opts into 207 partial results: without it one invalid input fails all 100.
    inputs: inputs.map((i) => ({ id: i.localId, idProperty: SYNC_ID_PROPERTY, objectWriteTraceId: i.localId, properties: withOrigin(type, i.localId, i.fields) })),
  }
  return settle(inputs, type, () => api.call('general', (c) => c.crm.objects.batchApi.upsertWithHttpInfo(OBJECT_PATH[type], body as never)),
    (o) => o.properties[SYNC_ID_PROPERTY] ?? undefined)
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/update)
export async function updateBatch(api: HubSpotApi, type: ObjectType, inputs: Array<PushInput & { remoteId: string }>): Promise<PushResult[]> {
  if (inputs.length === 0) return []
  const byRemote = new Map(inputs.map((i) => [i.remoteId, i.localId]))
  const body = {
    inputs: inputs.map((i) => ({ id: i.remoteId, properties: toProperties(type, i.fields), objectWriteTraceId: i.localId })),
  }
  return settle(inputs, type, () => api.call('general', (c) => c.crm.objects.batchApi.updateWithHttpInfo(OBJECT_PATH[type], body as never)),
    (o) => byRemote.get(o.id))
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/archive)
export async function archiveBatch(api: HubSpotApi, type: ObjectType, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return
  await api.call('general', (c) => c.crm.objects.batchApi.archiveWithHttpInfo(OBJECT_PATH[type], { inputs: remoteIds.map((id) => ({ id })) }))
}

/** HubSpot-defined type ids of the associations we create (Primary where one exists).
 * https://developers.hubspot.com/docs/api/crm/associations#association-type-id-values */
const ASSOCIATION_TYPE_ID: Partial<Record<`${ObjectType}>${ObjectType}`, number>> = {
  'contact>company': 1, // contact_to_company (Primary)
  'deal>company': 5, // deal_to_company (Primary)
  'deal>contact': 3, // deal_to_contact
}

// https://developers.hubspot.com/docs/api/crm/associations (v4 batch/create, 100 inputs per call)
export async function associateBatch(api: HubSpotApi, from: ObjectType, to: ObjectType, pairs: Array<{ fromId: string; toId: string }>): Promise<void> {
  const typeId = ASSOCIATION_TYPE_ID[`${from}>${to}`]
  if (typeId === undefined) throw new Error(`no association type from ${from} to ${to}`)
  for (let i = 0; i < pairs.length; i += 100) {
    const inputs = pairs.slice(i, i + 100).map((p) => ({
      _from: { id: p.fromId }, to: { id: p.toId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
    }))
    await api.call('general', (c) => c.crm.associations.v4.batchApi.createWithHttpInfo(OBJECT_PATH[from], OBJECT_PATH[to], { inputs } as never))
  }
}

// https://developers.hubspot.com/docs/api/crm/associations (v4 batch/archive: every
// association type between each pair goes; 204 whether or not they were associated)
export async function dissociateBatch(api: HubSpotApi, from: ObjectType, to: ObjectType, pairs: Array<{ fromId: string; toId: string }>): Promise<void> {
  const byFrom = new Map<string, string[]>()
  for (const p of pairs) byFrom.set(p.fromId, [...(byFrom.get(p.fromId) ?? []), p.toId])
  const grouped = [...byFrom]
  for (let i = 0; i < grouped.length; i += 100) {
    const inputs = grouped.slice(i, i + 100).map(([fromId, toIds]) => ({ _from: { id: fromId }, to: toIds.map((id) => ({ id })) }))
    await api.call('general', (c) => c.crm.associations.v4.batchApi.archiveWithHttpInfo(OBJECT_PATH[from], OBJECT_PATH[to], { inputs } as never))
  }
}

/**
 * Turns a batch answer (200, or 207 with per-input errors) into one result per input.
 * A whole-batch 4xx fails each input alone, so one bad record cannot hold up the rest:
 * the caller retries the others one by one.
 */
async function settle(inputs: PushInput[], type: ObjectType, send: () => Promise<unknown>,
  localIdOf: (o: { id: string; properties: Record<string, string | null> }) => string | undefined): Promise<PushResult[]> {
  let res: unknown
  try {
    res = await send()
  } catch (e) {
    const err = e as { type?: string; message?: string; retry?: string }
    if (err.retry !== 'never' || err.type === 'auth_expired' || err.type === 'daily_limit') throw e
    return inputs.map((i) => ({ localId: i.localId, ok: false, error: err.message ?? String(e), permanent: inputs.length === 1 }))
  }
  const body = parseResponse(batchResponseSchema, res, 'batch write')
  const results = new Map<string, PushResult>()
  for (const o of body.results) {
    const localId = localIdOf(o)
    if (localId) results.set(localId, { localId, ok: true, remoteId: o.id, record: toRemoteRecord(type, o) })
  }
  for (const err of body.errors ?? []) {
    const ids = [...(err.context?.objectWriteTraceId ?? []), ...(err.context?.ids ?? [])]
    for (const id of ids) {
      const localId = inputs.find((i) => i.localId === id)?.localId
      if (localId) results.set(localId, { localId, ok: false, error: readableHubSpotMessage(err.message), permanent: true })
    }
  }
  return inputs.map((i) => results.get(i.localId) ?? { localId: i.localId, ok: false, error: 'no result for this input' })
}
