import type { IncomingMessage, ServerResponse } from 'node:http'
import { HubSpotError, invalidAuth, newCorrelationId } from './errors.js'
import { parseJsonBody, readRawBody, writeReply, type Reply } from './http.js'
import { Router, statsKey, type Ctx } from './router.js'
import type { Sandbox } from './state.js'
import type { FaultRule } from './faults.js'
import { checkScopes } from './scopes.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * One request through the emulated HubSpot: correlation id, call counter, injected faults,
 * authentication, rate limits, handler, HubSpot-shaped error. Control routes (`/_sandbox`)
 * skip counters, faults, auth and limits.
 */
export function createHandler(sb: Sandbox, api: Router, control: Router) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const correlationId = newCorrelationId()
    const base = { 'X-HubSpot-Correlation-Id': correlationId }
    const url = new URL(req.url ?? '/', 'http://sandbox')
    const method = (req.method ?? 'GET').toUpperCase()
    const isControl = url.pathname.startsWith('/_sandbox')
    const router = isControl ? control : api
    let rateHeaders: Record<string, string> = {}
    let truncate = false
    try {
      const match = router.match(method, url.pathname)
      if (!match) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to route ${method} ${url.pathname}`)
      if ('allowed' in match) throw new HubSpotError(405, 'VALIDATION_ERROR', `Method ${method} not allowed`, { headers: { Allow: match.allowed.join(', ') } })
      const { route, params } = match
      if (!isControl) {
        sb.count(statsKey(method, route, params))
        res.once('finish', () => sb.countAnswer(`${method} ${url.pathname}${url.search}`, res.statusCode))
        const fault = sb.faults.decide(method, url.pathname)
        if (fault.latencyMs) await sleep(fault.latencyMs)
        if (fault.failure?.kind === 'truncate') truncate = true
        else if (fault.failure) return injectFailure(res, fault.failure, base)
      }
      const rawBody = await readRawBody(req)
      let parsed: unknown
      const ctx: Ctx = {
        req, method, path: url.pathname, params, query: url.searchParams, rawBody, sb,
        baseUrl: `http://${req.headers.host ?? 'localhost'}`,
        body: () => (parsed ??= parseJsonBody(rawBody)),
        form: () => new URLSearchParams(rawBody),
      }
      if (route.auth === 'token') ctx.auth = sb.auth.authenticate(req)
      if (route.auth === 'devkey' && url.searchParams.get('hapikey') !== sb.developerApiKey) throw invalidAuth()
      if (ctx.auth && route.limit !== 'none') rateHeaders = sb.limiter.check(ctx.auth, route.limit)
      checkScopes(ctx, route)
      const reply = await route.handler(ctx)
      writeReply(res, { ...reply, headers: { ...rateHeaders, ...(reply.headers ?? {}) } }, base, truncate)
    } catch (err) {
      const reply = errorReply(err, correlationId)
      writeReply(res, { ...reply, headers: { ...rateHeaders, ...(reply.headers ?? {}) } }, base, truncate)
    }
  }
}

function errorReply(err: unknown, correlationId: string): Reply {
  if (err instanceof HubSpotError) return { status: err.httpStatus, body: err.toBody(correlationId), headers: err.extra.headers }
  console.error('[hubspot-sandbox] internal error', err)
  return { status: 500, body: { status: 'error', message: 'internal error', correlationId, category: 'INTERNAL_ERROR' } }
}

function injectFailure(res: ServerResponse, rule: FaultRule, base: Record<string, string>): void {
  const correlationId = base['X-HubSpot-Correlation-Id']
  if (rule.kind === 'timeout') {
    // Hold the socket without answering, then drop it, like a gateway that never replies.
    const t = setTimeout(() => res.destroy(), rule.ms ?? 30_000)
    res.on('close', () => clearTimeout(t))
    return
  }
  if (rule.kind === 'rate_limit') {
    const body = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId, policyName: 'TEN_SECONDLY_ROLLING' }
    return writeReply(res, { status: 429, body }, base)
  }
  const status = rule.status ?? 500
  writeReply(res, { status, body: { status: 'error', message: 'internal error', correlationId, category: 'INTERNAL_ERROR' } }, base)
}
