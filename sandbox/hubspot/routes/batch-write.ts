import { HubSpotError, notFound, validation } from '../errors.js'
import { json } from '../http.js'
import { requireType, type ObjectType } from '../object-types.js'
import type { Ctx, Route } from '../router.js'
import { recordJson } from '../serialize.js'
import { createRecord, prepareWrite, updateRecord } from '../writes.js'
import { apiSource, batchInputs } from './common.js'
import { batchBody, standardError, wantsMultiStatus } from './batch-shared.js'
import { addCreateAssociations, checkCreateAssociations } from './create-associations.js'

type Plan = { ok: true; apply: () => Record<string, unknown> } | { ok: false; error: HubSpotError }
type Planner = (input: Record<string, unknown>, claims: Set<string>) => Plan

/** Plans every input first (so in-batch duplicates are caught), then applies per 207 rules. */
function runBatch(ctx: Ctx, planner: Planner, okStatus: number) {
  const started = ctx.sb.clock.now()
  const inputs = batchInputs(ctx)
  const multi = wantsMultiStatus(inputs)
  const claims = new Set<string>()
  const plans = inputs.map((input) => {
    try {
      return planner(input, claims)
    } catch (e) {
      if (e instanceof HubSpotError) return { ok: false, error: e } as Plan
      throw e
    }
  })
  const firstError = plans.find((p) => !p.ok)
  // Without objectWriteTraceIds the whole batch fails with the first error (hubspot-api-python#51).
  if (!multi && firstError && !firstError.ok) throw firstError.error
  const results: unknown[] = []
  const errors: unknown[] = []
  plans.forEach((p, i) => {
    const trace = inputs[i].objectWriteTraceId as string | undefined
    if (p.ok) results.push({ ...p.apply(), ...(trace ? { objectWriteTraceId: trace } : {}) })
    else errors.push(standardError(p.error, { objectWriteTraceId: [trace ?? ''] }))
  })
  return json(errors.length ? 207 : okStatus, batchBody(started, ctx.sb.clock.now(), results, errors))
}

/** Two inputs of one batch may not write the same contact email (create, and upsert too). */
function claimUnique(claims: Set<string>, type: ObjectType, values: Record<string, string>): void {
  if (type !== 'contacts' || !values.email) return
  // Its own namespace: an upsert by email claims `email:<id>` for the input's id already.
  const key = `unique-email:${values.email}`
  if (claims.has(key)) throw validation(`Duplicate email in batch input: ${values.email}`, undefined, { email: [values.email] })
  claims.add(key)
}

function batchCreate(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  return runBatch(ctx, (input, claims) => {
    const prepared = prepareWrite(ctx.sb, type, input.properties, { create: true })
    if (!prepared.ok) return prepared
    claimUnique(claims, type, prepared.values)
    const links = checkCreateAssociations(ctx.sb, type, input.associations)
    return {
      ok: true,
      apply: () => {
        const rec = createRecord(ctx.sb, type, prepared.values, apiSource(ctx))
        addCreateAssociations(ctx.sb, rec, links, apiSource(ctx))
        return recordJson(ctx.sb, rec, { properties: 'all-set' })
      },
    }
  }, 201)
}

function batchUpdate(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  return runBatch(ctx, (input, claims) => {
    const id = String(input.id ?? '')
    const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined
    const rec = ctx.sb.store.findBy(type, id, idProperty)
    if (!rec) return { ok: false, error: notFound(id) }
    if (claims.has(`id:${rec.id}`)) throw validation(`Duplicate IDs found in batch input: [${rec.id}]. IDs must be unique`)
    claims.add(`id:${rec.id}`)
    const prepared = prepareWrite(ctx.sb, type, input.properties, { selfId: rec.id })
    if (!prepared.ok) return prepared
    return { ok: true, apply: () => recordJson(ctx.sb, updateRecord(ctx.sb, ctx.sb.store.get(type, rec.id)!, prepared.values, apiSource(ctx)), { properties: 'all-set' }) }
  }, 200)
}

// https://developers.hubspot.com/docs/api/crm/contacts#upsert — match on a unique idProperty,
// create when absent; each result says whether it is `new`.
function batchUpsert(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  return runBatch(ctx, (input, claims) => {
    const id = String(input.id ?? '')
    const idProperty = typeof input.idProperty === 'string' ? input.idProperty : 'hs_object_id'
    const def = ctx.sb.properties.get(type, idProperty)
    const unique = idProperty === 'hs_object_id' || (type === 'contacts' && idProperty === 'email') || def?.hasUniqueValue
    if (!unique) throw validation(`${idProperty} is not a unique property and cannot be used as idProperty`)
    const existing = ctx.sb.store.findBy(type, id, idProperty)
    const key = `${idProperty}:${id.toLowerCase()}`
    if (claims.has(key)) throw validation(`Duplicate IDs found in batch input: [${id}]. IDs must be unique`)
    claims.add(key)
    if (existing) {
      const prepared = prepareWrite(ctx.sb, type, input.properties, { selfId: existing.id })
      if (!prepared.ok) return prepared
      claimUnique(claims, type, prepared.values)
      return { ok: true, apply: () => ({ ...recordJson(ctx.sb, updateRecord(ctx.sb, ctx.sb.store.get(type, existing.id)!, prepared.values, apiSource(ctx)), { properties: 'all-set' }), new: false }) }
    }
    if (idProperty === 'hs_object_id') return { ok: false, error: notFound(id) }
    const props = { ...((input.properties as Record<string, unknown>) ?? {}), [idProperty]: id }
    const prepared = prepareWrite(ctx.sb, type, props, { create: true })
    if (!prepared.ok) return prepared
    claimUnique(claims, type, prepared.values)
    return { ok: true, apply: () => ({ ...recordJson(ctx.sb, createRecord(ctx.sb, type, prepared.values, apiSource(ctx)), { properties: 'all-set' }), new: true }) }
  }, 200)
}

const r = (action: string, handler: Route['handler']): Route => ({ method: 'POST', pattern: `/crm/v3/objects/:type/batch/${action}`, auth: 'token', limit: 'standard', handler })

export const batchWriteRoutes: Route[] = [r('create', batchCreate), r('update', batchUpdate), r('upsert', batchUpsert)]
