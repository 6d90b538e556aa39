import type { HubSpotError } from '../errors.js'
import { iso } from '../record.js'

/** Per-input failure inside a batch, shaped as HubSpot's StandardError. */
export function standardError(err: HubSpotError, context: Record<string, string[]>): Record<string, unknown> {
  return {
    status: 'error',
    category: err.category,
    message: err.message,
    context: { ...(err.extra.context ?? {}), ...context },
    ...(err.extra.errors ? { errors: err.extra.errors } : {}),
  }
}

/** BatchResponse body; `errors`/`numErrors` only when something failed. */
export function batchBody(startedAt: number, completedAt: number, results: unknown[], errors: unknown[]): Record<string, unknown> {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length ? { numErrors: errors.length, errors } : {}),
    startedAt: iso(startedAt),
    completedAt: iso(completedAt),
  }
}

/**
 * https://developers.hubspot.com/docs/api/error-handling#multi-status-errors — partial
 * success (207) is opt-in: every input must carry a unique objectWriteTraceId; otherwise
 * the first failing input fails the whole request.
 */
export function wantsMultiStatus(inputs: Array<Record<string, unknown>>): boolean {
  if (inputs.length === 0) return false
  const ids = inputs.map((i) => i.objectWriteTraceId)
  return ids.every((id) => typeof id === 'string' && id !== '') && new Set(ids).size === ids.length
}
