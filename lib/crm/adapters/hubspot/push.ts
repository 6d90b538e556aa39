import type { Fields, ObjectType } from '../../types'
import type { PushInput, PushResult } from '../types'
import type { HubSpotApi } from './client'
import { OBJECT_PATH, toProperties, toRemoteRecord } from './mapping'
import { parseResponse } from './parse'
import { batchResponseSchema } from './schemas'

/** The unique custom property holding our local id: the stable key of every create. */
export const SYNC_ID_PROPERTY = 'syncline_id'
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
        await api.call('general', (c) => c.crm.properties.coreApi.getByName(OBJECT_PATH[type], p.name))
      } catch (e) {
        if ((e as { type?: string }).type !== 'not_found') throw e
        await api.call('general', (c) =>
          c.crm.properties.coreApi.create(OBJECT_PATH[type], {
            name: p.name, label: p.label, type: 'string', fieldType: 'text', groupName: GROUP[type], hasUniqueValue: p.hasUniqueValue,
          } as never),
        )
      }
    }
  }
}

function withOrigin(type: ObjectType, localId: string, fields: Fields): Record<string, string> {
  const props = toProperties(type, fields)
  props[SYNC_ID_PROPERTY] = localId
  if (type === 'contact') props[ORIGIN_PROPERTY] = ORIGIN_VALUE
  return props
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/upsert by a unique property)
export async function upsertBatch(api: HubSpotApi, type: ObjectType, inputs: PushInput[]): Promise<PushResult[]> {
  if (inputs.length === 0) return []
  const body = {
    inputs: inputs.map((i) => ({ id: i.localId, idProperty: SYNC_ID_PROPERTY, properties: withOrigin(type, i.localId, i.fields) })),
  }
  return settle(inputs, type, () => api.call('general', (c) => c.crm.objects.batchApi.upsert(OBJECT_PATH[type], body as never)),
    (o) => o.properties[SYNC_ID_PROPERTY] ?? undefined)
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/update)
export async function updateBatch(api: HubSpotApi, type: ObjectType, inputs: Array<PushInput & { remoteId: string }>): Promise<PushResult[]> {
  if (inputs.length === 0) return []
  const byRemote = new Map(inputs.map((i) => [i.remoteId, i.localId]))
  const body = {
    inputs: inputs.map((i) => ({ id: i.remoteId, properties: toProperties(type, i.fields), objectWriteTraceId: i.localId })),
  }
  return settle(inputs, type, () => api.call('general', (c) => c.crm.objects.batchApi.update(OBJECT_PATH[type], body as never)),
    (o) => byRemote.get(o.id))
}

// https://developers.hubspot.com/docs/api/crm/using-object-apis (batch/archive)
export async function archiveBatch(api: HubSpotApi, type: ObjectType, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return
  await api.call('general', (c) => c.crm.objects.batchApi.archive(OBJECT_PATH[type], { inputs: remoteIds.map((id) => ({ id })) }))
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
      if (localId) results.set(localId, { localId, ok: false, error: err.message, permanent: true })
    }
  }
  return inputs.map((i) => results.get(i.localId) ?? { localId: i.localId, ok: false, error: 'no result for this input' })
}
