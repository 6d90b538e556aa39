import { json, noContent } from '../http.js'
import { requireType, singular } from '../object-types.js'
import type { Ctx, Route } from '../router.js'
import { boolParam, recordJson } from '../serialize.js'
import { archiveRecord } from '../writes.js'
import { apiSource, batchInputs, objectBody } from './common.js'
import { batchBody } from './batch-shared.js'

// https://developers.hubspot.com/docs/api/crm/contacts#retrieve-contacts (batch/read)
function batchRead(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const started = ctx.sb.clock.now()
  const body = objectBody(ctx)
  const inputs = batchInputs(ctx)
  const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined
  const archived = boolParam(ctx.query, 'archived')
  const props = Array.isArray(body.properties) ? (body.properties as string[]) : null
  const hist = Array.isArray(body.propertiesWithHistory) ? (body.propertiesWithHistory as string[]) : null
  const seen = new Set<string>()
  const results: unknown[] = []
  const missing: string[] = []
  for (const input of inputs) {
    const id = String(input.id ?? '')
    const rec = ctx.sb.store.findBy(type, id, idProperty, archived)
    if (!rec) missing.push(id)
    else if (!seen.has(rec.id)) {
      seen.add(rec.id)
      results.push(recordJson(ctx.sb, rec, { properties: props, propertiesWithHistory: hist }))
    }
  }
  // Some ids missing → 207 with one OBJECT_NOT_FOUND error listing them (hubspot-api-php#619).
  const errors = missing.length
    ? [{
        status: 'error', category: 'OBJECT_NOT_FOUND',
        message: `Could not get some ${singular(type).toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
        context: { ids: missing },
      }]
    : []
  return json(errors.length ? 207 : 200, batchBody(started, ctx.sb.clock.now(), results, errors))
}

// batch/archive answers 204 whether or not the ids exist.
function batchArchive(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  for (const input of batchInputs(ctx)) {
    const rec = ctx.sb.store.findBy(type, String(input.id ?? ''))
    if (rec) archiveRecord(ctx.sb, rec, apiSource(ctx))
  }
  return noContent()
}

export const batchReadRoutes: Route[] = [
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/read', auth: 'token', limit: 'standard', handler: batchRead },
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/archive', auth: 'token', limit: 'standard', handler: batchArchive },
]
