import { HubSpotError, validation } from '../errors.js'
import type { WriteSource } from '../events.js'
import type { Ctx } from '../router.js'

/** API writes with a token are attributed to the app, as HubSpot reports them in webhooks. */
export const apiSource = (ctx: Ctx): WriteSource => ({ changeSource: 'INTEGRATION', sourceId: String(ctx.auth?.appId ?? '') })

export function objectBody(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body()
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw validation('Invalid input JSON: expected an object')
  return b as Record<string, unknown>
}

/** Batch `inputs`, capped at 100 ("Object API batch endpoints are limited to 100 inputs per request"). */
export function batchInputs(ctx: Ctx, max = 100): Array<Record<string, unknown>> {
  const inputs = objectBody(ctx).inputs
  if (!Array.isArray(inputs)) throw validation('Invalid input JSON: "inputs" must be an array')
  if (inputs.length > max) {
    throw new HubSpotError(400, 'VALIDATION_ERROR', `Too many inputs: ${inputs.length}. The maximum is ${max} inputs per request.`, {
      context: { inputs: [String(inputs.length)] },
    })
  }
  return inputs.map((i) => (i && typeof i === 'object' ? (i as Record<string, unknown>) : {}))
}

export function intParam(ctx: Ctx, name: string, dflt: number, max: number): number {
  const raw = ctx.query.get(name)
  if (raw === null || raw === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw validation(`Invalid value for ${name}: ${raw}`)
  return Math.min(n, max)
}
