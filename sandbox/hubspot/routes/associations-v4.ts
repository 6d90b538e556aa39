import { ASSOCIATION_TYPES, defaultTypeId, type AssocSpec } from '../associations.js'
import { associate, dissociate } from '../assoc-writes.js'
import { notFound, validation } from '../errors.js'
import { json, noContent } from '../http.js'
import { requireType, typeId, type ObjectType } from '../object-types.js'
import type { Ctx, Route } from '../router.js'
import type { Sandbox } from '../state.js'
import { apiSource, intParam } from './common.js'
import { batchBody } from './batch-shared.js'

// https://developers.hubspot.com/docs/api/crm/associations (v4)

function mustExist(sb: Sandbox, t: ObjectType, id: string): string {
  const rec = sb.store.findBy(t, id)
  if (!rec) throw notFound(id)
  return rec.id
}

function parseSpecs(raw: unknown, from: ObjectType, to: ObjectType): AssocSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw validation('Body must be a non-empty array of {associationCategory, associationTypeId}')
  return raw.map((s: any) => {
    const spec: AssocSpec = { category: s?.associationCategory ?? 'HUBSPOT_DEFINED', typeId: Number(s?.associationTypeId) }
    const info = ASSOCIATION_TYPES[spec.typeId]
    if (spec.category === 'HUBSPOT_DEFINED' && (!info || info.from !== from || info.to !== to)) {
      throw validation(`associationTypeId ${spec.typeId} is not valid from ${from} to ${to}`)
    }
    return spec
  })
}

const labelsOf = (specs: AssocSpec[]): string[] => specs.map((s) => ASSOCIATION_TYPES[s.typeId]?.label).filter((l): l is string => !!l)

function pairJson(from: ObjectType, fromId: string, to: ObjectType, toId: string, specs: AssocSpec[]) {
  return { fromObjectTypeId: typeId(from), fromObjectId: Number(fromId), toObjectTypeId: typeId(to), toObjectId: Number(toId), labels: labelsOf(specs) }
}

function defaultResults(from: ObjectType, fromId: string, to: ObjectType, toId: string) {
  const fwd = defaultTypeId(from, to)
  const rev = defaultTypeId(to, from)
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: fwd } },
    { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: rev } },
  ]
}

function createDefault(ctx: Ctx, from: ObjectType, fromId: string, to: ObjectType, toId: string) {
  const a = mustExist(ctx.sb, from, fromId)
  const b = mustExist(ctx.sb, to, toId)
  const id = defaultTypeId(from, to)
  if (id === undefined) throw validation(`No default association from ${from} to ${to}`)
  associate(ctx.sb, from, a, to, b, [{ category: 'HUBSPOT_DEFINED', typeId: id }], apiSource(ctx))
  return defaultResults(from, a, to, b)
}

function listFor(ctx: Ctx, from: ObjectType, fromId: string, to: ObjectType) {
  return ctx.sb.associations.list(from, fromId, to).map(({ toId, specs }) => ({
    toObjectId: Number(toId),
    associationTypes: specs.map((s) => ({ category: s.category, typeId: s.typeId, label: ASSOCIATION_TYPES[s.typeId]?.label ?? null })),
  }))
}

const t = (ctx: Ctx, k: string) => requireType(ctx.params[k])
const r = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern, auth: 'token', limit: 'standard', handler })
const inputsOf = (ctx: Ctx): any[] => {
  const b = ctx.body() as { inputs?: unknown }
  if (!Array.isArray(b?.inputs)) throw validation('"inputs" must be an array')
  return b.inputs
}

export const associationRoutes: Route[] = [
  r('PUT', '/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId', (ctx) => {
    const started = ctx.sb.clock.now()
    return json(200, batchBody(started, ctx.sb.clock.now(), createDefault(ctx, t(ctx, 'fromType'), ctx.params.fromId, t(ctx, 'toType'), ctx.params.toId), []))
  }),
  r('PUT', '/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (ctx) => {
    const [from, to] = [t(ctx, 'fromType'), t(ctx, 'toType')]
    const a = mustExist(ctx.sb, from, ctx.params.fromId)
    const b = mustExist(ctx.sb, to, ctx.params.toId)
    associate(ctx.sb, from, a, to, b, parseSpecs(ctx.body(), from, to), apiSource(ctx))
    const specs = ctx.sb.associations.list(from, a, to).find((x) => x.toId === b)?.specs ?? []
    return json(201, pairJson(from, a, to, b, specs))
  }),
  r('DELETE', '/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (ctx) => {
    dissociate(ctx.sb, t(ctx, 'fromType'), ctx.params.fromId, t(ctx, 'toType'), ctx.params.toId, apiSource(ctx))
    return noContent()
  }),
  r('GET', '/crm/v4/objects/:fromType/:fromId/associations/:toType', (ctx) => {
    const all = listFor(ctx, t(ctx, 'fromType'), ctx.params.fromId, t(ctx, 'toType'))
    const limit = Math.max(1, intParam(ctx, 'limit', 500, 500))
    const after = Number(ctx.query.get('after') ?? 0) || 0
    const body: Record<string, unknown> = { results: all.slice(after, after + limit) }
    if (after + limit < all.length) body.paging = { next: { after: String(after + limit), link: null } }
    return json(200, body)
  }),
  r('POST', '/crm/v4/associations/:fromType/:toType/batch/read', (ctx) => {
    const started = ctx.sb.clock.now()
    const [from, to] = [t(ctx, 'fromType'), t(ctx, 'toType')]
    const results = inputsOf(ctx).map((i) => ({ from: { id: String(i?.id) }, to: listFor(ctx, from, String(i?.id), to) }))
    return json(200, batchBody(started, ctx.sb.clock.now(), results, []))
  }),
  r('POST', '/crm/v4/associations/:fromType/:toType/batch/create', (ctx) => {
    const started = ctx.sb.clock.now()
    const [from, to] = [t(ctx, 'fromType'), t(ctx, 'toType')]
    const results = inputsOf(ctx).map((i) => {
      const a = mustExist(ctx.sb, from, String(i?.from?.id))
      const b = mustExist(ctx.sb, to, String(i?.to?.id))
      associate(ctx.sb, from, a, to, b, parseSpecs(i?.types, from, to), apiSource(ctx))
      return pairJson(from, a, to, b, ctx.sb.associations.list(from, a, to).find((x) => x.toId === b)?.specs ?? [])
    })
    return json(201, batchBody(started, ctx.sb.clock.now(), results, []))
  }),
  r('POST', '/crm/v4/associations/:fromType/:toType/batch/associate/default', (ctx) => {
    const started = ctx.sb.clock.now()
    const [from, to] = [t(ctx, 'fromType'), t(ctx, 'toType')]
    const results = inputsOf(ctx).flatMap((i) => createDefault(ctx, from, String(i?.from?.id), to, String(i?.to?.id)))
    return json(200, batchBody(started, ctx.sb.clock.now(), results, []))
  }),
  r('POST', '/crm/v4/associations/:fromType/:toType/batch/archive', (ctx) => {
    const [from, to] = [t(ctx, 'fromType'), t(ctx, 'toType')]
    for (const i of inputsOf(ctx)) for (const target of i?.to ?? []) dissociate(ctx.sb, from, String(i?.from?.id), to, String(target?.id), apiSource(ctx))
    return noContent()
  }),
  r('POST', '/crm/v4/associations/:fromType/:toType/batch/labels/archive', (ctx) => {
    const [from, to] = [t(ctx, 'fromType'), t(ctx, 'toType')]
    for (const i of inputsOf(ctx)) {
      const ids = (i?.types ?? []).map((s: any) => Number(s?.associationTypeId))
      dissociate(ctx.sb, from, String(i?.from?.id), to, String(i?.to?.id), apiSource(ctx), ids)
    }
    return noContent()
  }),
]
