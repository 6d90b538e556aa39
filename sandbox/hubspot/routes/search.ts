import { HubSpotError, validation } from '../errors.js'
import { json } from '../http.js'
import { requireType } from '../object-types.js'
import type { Ctx, Route } from '../router.js'
import { recordJson } from '../serialize.js'
import { runSearch, type SearchPlan } from '../search/run.js'
import type { Filter } from '../search/filters.js'
import { objectBody } from './common.js'

// https://developers.hubspot.com/docs/api/crm/search — limits quoted from its "Limitations".
const MAX_LIMIT = 200
const MAX_RESULTS = 10_000
const MAX_QUERY_CHARS = 3000

/** Sorts come as objects or as strings ("createdate" / "-createdate", UNVERIFIED form). */
function parseSort(raw: unknown): SearchPlan['sort'] {
  if (typeof raw === 'string') {
    return raw.startsWith('-') ? { propertyName: raw.slice(1), direction: 'DESCENDING' } : { propertyName: raw, direction: 'ASCENDING' }
  }
  const s = raw as { propertyName?: string; direction?: string }
  if (!s?.propertyName) throw validation('Each sort needs a propertyName')
  return { propertyName: s.propertyName, direction: s.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING' }
}

export function parseSearch(ctx: Ctx): SearchPlan & { properties: string[] | null } {
  const body = objectBody(ctx)
  const cfg = ctx.sb.config
  const limit = body.limit === undefined ? 10 : Number(body.limit)
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw validation(`limit must be between 0 and ${MAX_LIMIT}, got ${body.limit}`)
  const afterRaw = body.after === undefined || body.after === null || body.after === '' ? '0' : String(body.after)
  if (!/^\d+$/.test(afterRaw)) throw validation(`after must be an integer offset, got ${afterRaw}`)
  const after = Number(afterRaw)
  if (after + limit > MAX_RESULTS) {
    throw new HubSpotError(400, 'VALIDATION_ERROR', `Search results are limited to ${MAX_RESULTS} per query; after (${after}) + limit (${limit}) exceeds it.`, {
      context: { after: [afterRaw], limit: [String(limit)] },
    })
  }
  const query = typeof body.query === 'string' ? body.query : undefined
  if (query && query.length > MAX_QUERY_CHARS) throw validation(`query must not exceed ${MAX_QUERY_CHARS} characters`)
  const groups = Array.isArray(body.filterGroups) ? (body.filterGroups as Array<{ filters?: Filter[] }>) : []
  const filterGroups = groups.map((g) => (Array.isArray(g?.filters) ? g.filters : []))
  const total = filterGroups.reduce((n, g) => n + g.length, 0)
  if (filterGroups.length > cfg.searchMaxFilterGroups || filterGroups.some((g) => g.length > cfg.searchMaxFiltersPerGroup) || total > cfg.searchMaxFilters) {
    throw validation(`Too many filters: at most ${cfg.searchMaxFilterGroups} filterGroups with up to ${cfg.searchMaxFiltersPerGroup} filters each and ${cfg.searchMaxFilters} filters in total`)
  }
  const sorts = Array.isArray(body.sorts) ? body.sorts : []
  if (sorts.length > 1) throw validation('Only one sort is supported')
  const properties = Array.isArray(body.properties) ? (body.properties as string[]) : null
  return { filterGroups, sort: sorts.length ? parseSort(sorts[0]) : undefined, query, after, limit, properties }
}

/** POST /crm/v3/objects/{type}/search */
function search(ctx: Ctx) {
  const type = requireType(ctx.params.type)
  const plan = parseSearch(ctx)
  const { total, page } = runSearch(ctx.sb, type, plan)
  const body: Record<string, unknown> = { total, results: page.map((r) => recordJson(ctx.sb, r, { properties: plan.properties })) }
  const next = plan.after + plan.limit
  if (next < total && plan.limit > 0) body.paging = { next: { after: String(next) } }
  return json(200, body)
}

export const searchRoutes: Route[] = [
  { method: 'POST', pattern: '/crm/v3/objects/:type/search', auth: 'token', limit: 'search', handler: search },
]
