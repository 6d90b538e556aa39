import { z } from 'zod'
import { HubSpotError, validation } from '../errors.js'
import { json, noContent } from '../http.js'
import type { Ctx, Route } from '../router.js'
import { seedPortal } from '../seed.js'
import type { WebhookService } from '../webhooks/service.js'
import { FaultConfigSchema } from '../faults.js'
import { OBJECT_TYPES } from '../object-types.js'
import { ownerJson, type Owner } from '../owners.js'

const c = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern: `/_sandbox${pattern}`, auth: 'none', limit: 'none', handler })

function parse<T>(schema: z.ZodType<T>, ctx: Ctx): T {
  const r = schema.safeParse(ctx.body())
  if (!r.success) throw validation(`Invalid control request: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return r.data
}

const ResetSchema = z.object({
  contacts: z.number().int().min(0).default(0),
  companies: z.number().int().min(0).default(0),
  deals: z.number().int().min(0).default(0),
  owners: z.number().int().min(0).default(0),
  customProperties: z.number().int().min(0).max(500).default(0),
  seed: z.number().int().default(1),
})

const ConfigSchema = z.object({
  tier: z.enum(['free', 'pro', 'enterprise', 'off']).optional(),
  searchIndexLagMs: z.number().int().min(0).optional(),
  searchMaxFilterGroups: z.number().int().min(1).optional(),
  searchMaxFiltersPerGroup: z.number().int().min(1).optional(),
  searchMaxFilters: z.number().int().min(1).optional(),
  webhookTimeoutMs: z.number().int().min(1).optional(),
  webhookRetryDelaysMs: z.array(z.number().int().min(0)).min(1).optional(),
  webhookMaxRetries: z.number().int().min(0).optional(),
  webhookBatchDelayMs: z.number().int().min(0).optional(),
  accessTokenTtlSeconds: z.number().int().min(1).optional(),
  mergeNewId: z.boolean().optional(),
})

function counts(ctx: Ctx) {
  return Object.fromEntries(OBJECT_TYPES.map((t) => [t, ctx.sb.store.size(t)]))
}

export function adminRoutes(webhooks: WebhookService): Route[] {
  return [
    c('GET', '/health', (ctx) => json(200, { ok: true, portalId: ctx.sb.portalId, appId: ctx.sb.appId, now: ctx.sb.clock.now(), records: counts(ctx) })),
    c('POST', '/reset', (ctx) => {
      const body = parse(ResetSchema, ctx)
      ctx.sb.resetData()
      ctx.sb.limiter.reset()
      ctx.sb.clearStats()
      seedPortal(ctx.sb, body, body.seed)
      return json(200, { ok: true, records: counts(ctx), owners: ctx.sb.owners.length })
    }),
    c('GET', '/config', (ctx) => json(200, ctx.sb.config)),
    c('PATCH', '/config', (ctx) => {
      const patch = parse(ConfigSchema, ctx)
      Object.assign(ctx.sb.config, patch)
      if (patch.webhookBatchDelayMs !== undefined) webhooks.batchDelayChanged()
      return json(200, ctx.sb.config)
    }),
    c('POST', '/clock', (ctx) => {
      // Forward only: HubSpot's clock never goes back, and a rewind would leave every request made
      // since in the rate-limit windows (they are pruned by age), so calls would be refused as over
      // the limit until `/rate-limits/reset`.
      const body = parse(z.object({ advanceMs: z.number().int().min(0, 'the sandbox clock only moves forward; to start over, POST /_sandbox/reset') }), ctx)
      ctx.sb.clock.offsetMs += body.advanceMs
      return json(200, { now: ctx.sb.clock.now(), offsetMs: ctx.sb.clock.offsetMs })
    }),
    c('GET', '/stats', (ctx) => {
      const calls = Object.fromEntries([...ctx.sb.stats.entries()].sort(([a], [b]) => a.localeCompare(b)))
      const total = [...ctx.sb.stats.values()].reduce((a, b) => a + b, 0)
      const answered = Object.fromEntries([...ctx.sb.answered.entries()].sort(([a], [b]) => a - b))
      return json(200, { calls, total, answered, refusals: ctx.sb.refusals, faultsInjected: ctx.sb.faults.injected, webhooks: { delivered: webhooks.delivered, failed: webhooks.failed, pending: webhooks.pending() } })
    }),
    c('DELETE', '/stats', (ctx) => {
      ctx.sb.clearStats()
      return noContent()
    }),
    c('POST', '/rate-limits/reset', (ctx) => {
      ctx.sb.limiter.reset()
      return noContent()
    }),
    c('GET', '/faults', (ctx) => json(200, { rules: ctx.sb.faults.list(), injected: ctx.sb.faults.injected })),
    c('PUT', '/faults', (ctx) => {
      ctx.sb.faults.set(parse(FaultConfigSchema, ctx))
      return json(200, { rules: ctx.sb.faults.list() })
    }),
    c('DELETE', '/faults', (ctx) => {
      ctx.sb.faults.set({ seed: 1, rules: [] })
      return noContent()
    }),
    c('POST', '/search-index/flush', (ctx) => {
      ctx.sb.index.flush()
      return json(200, { pending: 0 })
    }),
    // An admin adds a user to the portal: a new owner, listed by GET /crm/v3/owners from now on.
    c('POST', '/owners', (ctx) => {
      const body = parse(z.object({ email: z.email(), firstName: z.string().default(''), lastName: z.string().default('') }), ctx)
      const now = ctx.sb.clock.now()
      const lastId = Math.max(41629779, ...ctx.sb.owners.map((o) => Number(o.id)).filter(Number.isFinite))
      const userId = 9186300 + ctx.sb.owners.length
      const owner: Owner = {
        id: String(lastId + 7919), email: body.email.toLowerCase(), firstName: body.firstName, lastName: body.lastName,
        userId, userIdIncludingInactive: userId, type: 'PERSON', createdAt: now, updatedAt: now, archived: false, teams: [],
      }
      ctx.sb.owners.push(owner)
      return json(201, ownerJson(owner))
    }),
    // An admin edits a user (their email, name) or deactivates / reactivates them: the owner
    // keeps its id, its updatedAt moves, and a deactivated one is listed only with
    // archived=true (userId null). Records keep it as their owner, as HubSpot's do: "the user
    // will remain assigned to their records" (https://knowledge.hubspot.com/user-management/deactivate-hubspot-users).
    c('PATCH', '/owners/:id', (ctx) => {
      const body = parse(z.object({ email: z.email().optional(), firstName: z.string().optional(), lastName: z.string().optional(), archived: z.boolean().optional() }), ctx)
      const owner = ctx.sb.owners.find((o) => o.id === ctx.params.id)
      if (!owner) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `No owner found with id ${ctx.params.id}`)
      if (body.email !== undefined) owner.email = body.email.toLowerCase()
      if (body.firstName !== undefined) owner.firstName = body.firstName
      if (body.lastName !== undefined) owner.lastName = body.lastName
      if (body.archived !== undefined) owner.archived = body.archived
      owner.updatedAt = Math.max(ctx.sb.clock.now(), owner.updatedAt + 1)
      return json(200, ownerJson(owner))
    }),
    c('POST', '/tokens', (ctx) => {
      const body = parse(z.object({ token: z.string().min(1) }), ctx)
      ctx.sb.auth.addPrivateToken(body.token)
      return json(201, { token: body.token })
    }),
    c('POST', '/webhooks/flush', async (ctx) => {
      const body = parse(z.object({ timeoutMs: z.number().int().min(0).optional() }), ctx)
      const done = await webhooks.flush(body.timeoutMs)
      return json(200, { done, delivered: webhooks.delivered, failed: webhooks.failed, pending: webhooks.pending() })
    }),
    c('GET', '/webhooks/log', () => json(200, { deliveries: webhooks.log })),
    c('DELETE', '/webhooks/log', () => {
      webhooks.log.length = 0
      return noContent()
    }),
  ]
}
