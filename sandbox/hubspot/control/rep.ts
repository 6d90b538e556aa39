import { z } from 'zod'
import { associate, dissociate } from '../assoc-writes.js'
import { defaultTypeId } from '../associations.js'
import { notFound, validation } from '../errors.js'
import type { WriteSource } from '../events.js'
import { json, noContent } from '../http.js'
import { requireType } from '../object-types.js'
import type { Ctx, Route } from '../router.js'
import { recordJson } from '../serialize.js'
import type { Sandbox } from '../state.js'
import { archiveRecord, createRecord, mergeRecords, prepareWrite, restoreRecord, updateRecord } from '../writes.js'

/** A rep working in the HubSpot UI: webhooks report these as `CRM_UI` with the rep's user id. */
export function repSource(sb: Sandbox, ownerId?: string): WriteSource {
  const owner = sb.owners.find((o) => o.id === ownerId) ?? sb.owners.find((o) => !o.archived)
  return { changeSource: 'CRM_UI', ...(owner?.userId ? { sourceId: `userId:${owner.userId}` } : {}) }
}

const PropsSchema = z.object({ properties: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).default({}), ownerId: z.string().optional() })

function body<T>(schema: z.ZodType<T>, ctx: Ctx): T {
  const r = schema.safeParse(ctx.body())
  if (!r.success) throw validation(`Invalid control request: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return r.data
}

export function repEdit(sb: Sandbox, typeName: string, id: string, properties: Record<string, unknown>, ownerId?: string) {
  const type = requireType(typeName)
  const rec = sb.store.findBy(type, id)
  if (!rec) throw notFound(id)
  const prepared = prepareWrite(sb, type, properties, { selfId: rec.id })
  if (!prepared.ok) throw prepared.error
  return updateRecord(sb, rec, prepared.values, repSource(sb, ownerId))
}

const c = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern: `/_sandbox/rep${pattern}`, auth: 'none', limit: 'none', handler })

export const repRoutes: Route[] = [
  c('POST', '/:type', (ctx) => {
    const type = requireType(ctx.params.type)
    const b = body(PropsSchema, ctx)
    const prepared = prepareWrite(ctx.sb, type, b.properties, { create: true })
    if (!prepared.ok) throw prepared.error
    return json(201, recordJson(ctx.sb, createRecord(ctx.sb, type, prepared.values, repSource(ctx.sb, b.ownerId)), { properties: 'all-set' }))
  }),
  c('PATCH', '/:type/:id', (ctx) => {
    const b = body(PropsSchema, ctx)
    return json(200, recordJson(ctx.sb, repEdit(ctx.sb, ctx.params.type, ctx.params.id, b.properties, b.ownerId), { properties: 'all-set' }))
  }),
  c('DELETE', '/:type/:id', (ctx) => {
    const rec = ctx.sb.store.findBy(requireType(ctx.params.type), ctx.params.id)
    if (!rec) throw notFound(ctx.params.id)
    archiveRecord(ctx.sb, rec, repSource(ctx.sb))
    return noContent()
  }),
  c('POST', '/:type/:id/restore', (ctx) => {
    const rec = ctx.sb.store.findBy(requireType(ctx.params.type), ctx.params.id, undefined, true)
    if (!rec) throw notFound(ctx.params.id)
    return json(200, recordJson(ctx.sb, restoreRecord(ctx.sb, rec, repSource(ctx.sb)), { properties: 'all-set' }))
  }),
  c('POST', '/:type/merge', (ctx) => {
    const b = body(z.object({ primaryObjectId: z.coerce.string(), objectIdToMerge: z.coerce.string() }), ctx)
    const type = requireType(ctx.params.type)
    return json(200, recordJson(ctx.sb, mergeRecords(ctx.sb, type, b.primaryObjectId, b.objectIdToMerge, repSource(ctx.sb)), { properties: 'all-set' }))
  }),
  c('PUT', '/associations/:fromType/:fromId/:toType/:toId', (ctx) => {
    const [from, to] = [requireType(ctx.params.fromType), requireType(ctx.params.toType)]
    const id = defaultTypeId(from, to)
    if (id === undefined) throw validation(`No default association from ${from} to ${to}`)
    associate(ctx.sb, from, ctx.params.fromId, to, ctx.params.toId, [{ category: 'HUBSPOT_DEFINED', typeId: id }], repSource(ctx.sb))
    return noContent()
  }),
  c('DELETE', '/associations/:fromType/:fromId/:toType/:toId', (ctx) => {
    dissociate(ctx.sb, requireType(ctx.params.fromType), ctx.params.fromId, requireType(ctx.params.toType), ctx.params.toId, repSource(ctx.sb))
    return noContent()
  }),
]

/** Direct reads that ignore search lag and rate limits (for assertions in tests). */
export const recordRoutes: Route[] = [
  { method: 'GET', pattern: '/_sandbox/records/:type', auth: 'none', limit: 'none', handler: (ctx) => {
    const type = requireType(ctx.params.type)
    const archived = ctx.query.get('archived') === 'true'
    const limit = Number(ctx.query.get('limit') ?? 100)
    const offset = Number(ctx.query.get('offset') ?? 0)
    const all = [...ctx.sb.store.all(type).values()].filter((r) => r.archived === archived && !r.mergedInto)
    return json(200, { total: all.length, results: all.slice(offset, offset + limit).map((r) => recordJson(ctx.sb, r, { properties: 'all-set' })) })
  } },
  { method: 'GET', pattern: '/_sandbox/records/:type/:id', auth: 'none', limit: 'none', handler: (ctx) => {
    const rec = ctx.sb.store.get(requireType(ctx.params.type), ctx.params.id)
    if (!rec) throw notFound(ctx.params.id)
    return json(200, recordJson(ctx.sb, rec, { properties: 'all-set', associations: ['contacts', 'companies', 'deals'] }))
  } },
]
