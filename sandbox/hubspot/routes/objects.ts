import { notFound, validation } from '../errors.js'
import { json, noContent } from '../http.js'
import { requireType, type ObjectType } from '../object-types.js'
import type { Rec } from '../record.js'
import type { Ctx, Route } from '../router.js'
import { boolParam, listParam, recordJson } from '../serialize.js'
import { archiveRecord, createRecord, mergeRecords, prepareWrite, updateRecord } from '../writes.js'
import { apiSource, intParam, objectBody } from './common.js'
import { addCreateAssociations, checkCreateAssociations } from './create-associations.js'

// https://developers.hubspot.com/docs/api/crm/contacts (same shape for companies and deals)
const BASE = '/crm/v3/objects/:type'

/** GET /crm/v3/objects/{type} — pages by id: `after` is the next id to return. */
function list(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const limit = Math.max(1, intParam(ctx, 'limit', 10, 100))
  const archived = boolParam(ctx.query, 'archived')
  const after = ctx.query.get('after')
  const ids = ctx.sb.store.orderedIds(type)
  let i = after ? lowerBoundNum(ids, Number(after)) : 0
  const results: Rec[] = []
  for (; i < ids.length && results.length <= limit; i++) {
    const rec = ctx.sb.store.getRaw(type, String(ids[i]))
    if (!rec || rec.mergedInto || rec.archived !== archived) continue
    results.push(rec)
  }
  const more = results.length > limit
  const page = results.slice(0, limit)
  const opts = { properties: listParam(ctx.query, 'properties'), associations: listParam(ctx.query, 'associations'), propertiesWithHistory: listParam(ctx.query, 'propertiesWithHistory') }
  const body: Record<string, unknown> = { results: page.map((r) => recordJson(ctx.sb, r, opts)) }
  if (more) {
    const next = results[limit].id
    body.paging = { next: { after: next, link: `${ctx.baseUrl}/crm/v3/objects/${type}?limit=${limit}&after=${next}` } }
  }
  return json(200, body)
}

function lowerBoundNum(arr: number[], x: number): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (arr[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

function findOr404(ctx: Ctx, type: ObjectType, archived = false): Rec {
  const idProperty = ctx.query.get('idProperty') ?? undefined
  const rec = ctx.sb.store.findBy(type, ctx.params.id, idProperty, archived)
  if (!rec) throw notFound(ctx.params.id)
  return rec
}

function get(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const rec = findOr404(ctx, type, boolParam(ctx.query, 'archived'))
  return json(200, recordJson(ctx.sb, rec, {
    properties: listParam(ctx.query, 'properties'), associations: listParam(ctx.query, 'associations'), propertiesWithHistory: listParam(ctx.query, 'propertiesWithHistory'),
  }))
}

function create(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const body = objectBody(ctx)
  const prepared = prepareWrite(ctx.sb, type, body.properties, { create: true })
  if (!prepared.ok) throw prepared.error
  const links = checkCreateAssociations(ctx.sb, type, body.associations)
  const rec = createRecord(ctx.sb, type, prepared.values, apiSource(ctx))
  addCreateAssociations(ctx.sb, rec, links, apiSource(ctx))
  return json(201, recordJson(ctx.sb, rec, { properties: 'all-set' }))
}

function update(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const rec = findOr404(ctx, type)
  const prepared = prepareWrite(ctx.sb, type, objectBody(ctx).properties, { selfId: rec.id })
  if (!prepared.ok) throw prepared.error
  const next = updateRecord(ctx.sb, rec, prepared.values, apiSource(ctx))
  return json(200, recordJson(ctx.sb, next, { properties: 'all-set' }))
}

/** Archiving an id that does not exist answers 204 too (reported behaviour, UNVERIFIED). */
function archive(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const rec = ctx.sb.store.findBy(type, ctx.params.id)
  if (rec) archiveRecord(ctx.sb, rec, apiSource(ctx))
  return noContent()
}

// https://developers.hubspot.com/docs/api/crm/contacts#merge-contacts
function merge(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const body = objectBody(ctx)
  const primary = body.primaryObjectId
  const other = body.objectIdToMerge
  if (primary === undefined || other === undefined) throw validation('primaryObjectId and objectIdToMerge are required')
  const rec = mergeRecords(ctx.sb, type, String(primary), String(other), apiSource(ctx))
  return json(200, recordJson(ctx.sb, rec, { properties: 'all-set' }))
}

// https://developers.hubspot.com/docs/api/crm/contacts#gdpr-delete — permanent, contacts only.
function gdprDelete(ctx: Ctx) {
  const body = objectBody(ctx)
  const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined
  const rec = ctx.sb.store.findBy('contacts', String(body.objectId ?? ''), idProperty)
  if (!rec) throw notFound(String(body.objectId ?? ''))
  // A privacy deletion fires contact.privacyDeletion and contact.deletion.
  archiveRecord(ctx.sb, rec, apiSource(ctx))
  ctx.sb.store.delete('contacts', rec.id)
  ctx.sb.emit({ kind: 'privacyDeletion', type: 'contacts', id: rec.id, occurredAt: ctx.sb.clock.now(), source: apiSource(ctx) })
  return noContent()
}

const r = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern, auth: 'token', limit: 'standard', handler })

export const objectRoutes: Route[] = [
  r('POST', '/crm/v3/objects/contacts/gdpr-delete', gdprDelete),
  r('POST', `${BASE}/merge`, merge),
  r('GET', BASE, list),
  r('POST', BASE, create),
  r('GET', `${BASE}/:id`, get),
  r('PATCH', `${BASE}/:id`, update),
  r('DELETE', `${BASE}/:id`, archive),
]
