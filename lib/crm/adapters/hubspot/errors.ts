import { CrmError } from '../../errors'
import { hubSpotErrorSchema } from './schemas'

interface ApiExceptionLike {
  code: number
  body: unknown
  headers?: Record<string, string>
}

function isApiException(e: unknown): e is ApiExceptionLike {
  return typeof e === 'object' && e !== null && typeof (e as ApiExceptionLike).code === 'number' && 'body' in e
}

/** A non-2xx answer to `apiRequest`, in the shape the typed APIs throw (their ApiException). */
export function httpError(status: number, body: string, headers: Record<string, string>): Error & ApiExceptionLike {
  return Object.assign(new Error(`HubSpot answered ${status}`), { code: status, body, headers })
}

function parseBody(body: unknown) {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return {}
    }
  }
  const parsed = hubSpotErrorSchema.safeParse(value)
  return parsed.success ? parsed.data : {}
}

function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  const v = headers?.['retry-after'] ?? headers?.['Retry-After']
  const s = v === undefined ? NaN : Number(v)
  return Number.isFinite(s) ? s * 1000 : undefined
}

const INVALID_PROPERTIES = 'Property values were not valid: '

/**
 * HubSpot's validation message embeds its per-property details as JSON ("Property values
 * were not valid: [{"name":"lifecyclestage","message":"x was not one of the allowed
 * options: [...]",...}]"). Shown to a person, that is "lifecyclestage: x was not one of
 * the allowed options: [...]". Anything else is returned as it came.
 */
export function readableHubSpotMessage(message: string): string {
  if (!message.startsWith(INVALID_PROPERTIES)) return message
  try {
    const details = JSON.parse(message.slice(INVALID_PROPERTIES.length)) as unknown
    if (!Array.isArray(details) || details.length === 0) return message
    const parts = details.map((d: { name?: unknown; message?: unknown; localizedErrorMessage?: unknown }) => {
      const text = typeof d?.message === 'string' ? d.message : typeof d?.localizedErrorMessage === 'string' ? d.localizedErrorMessage : null
      return text === null ? null : typeof d.name === 'string' ? `${d.name}: ${text}` : text
    })
    return parts.every((p) => p !== null) ? parts.join('; ') : message
  } catch {
    return message
  }
}

/** fetch's "Bearer <token> is not a legal HTTP header value" repeats the token: kept out of messages, which reach logs. */
export const withoutBearer = (message: string) => message.replace(/Bearer\s+[\s\S]*?(?=\s+is not a legal|$)/gi, 'Bearer [redacted]')

/**
 * Maps whatever the SDK threw to a CrmError with the right retry policy.
 * https://developers.hubspot.com/docs/api/error-handling
 */
export function classifyHubSpotError(e: unknown): CrmError {
  if (e instanceof CrmError) return e
  if (!isApiException(e)) {
    // Network failures, timeouts and truncated bodies (JSON parse errors) are transient.
    const message = withoutBearer(e instanceof Error ? e.message : String(e))
    return new CrmError('transient', `HubSpot request failed: ${message}`, { cause: e })
  }
  const body = parseBody(e.body)
  const message = `HubSpot ${e.code}: ${body.message === undefined ? 'no message' : readableHubSpotMessage(body.message)}`
  const opts = { cause: e, httpStatus: e.code, body }
  switch (true) {
    case e.code === 429 && body.policyName === 'DAILY':
      return new CrmError('daily_limit', message, opts)
    case e.code === 429:
      // The burst window is 10 s rolling; the search limit is per second.
      // https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
      return new CrmError('rate_limited', message, {
        ...opts,
        retryAfterMs: retryAfterMs(e.headers) ?? (body.policyName === 'TEN_SECONDLY_ROLLING' ? 10_000 : 1_000),
      })
    case e.code === 423: // "Locks will last for 2 seconds"
      return new CrmError('rate_limited', message, { ...opts, retryAfterMs: 2_000 })
    case e.code === 401:
      return new CrmError('auth_expired', message, opts)
    case e.code === 403:
      return new CrmError('forbidden', message, opts)
    case e.code === 404:
      return new CrmError('not_found', message, opts)
    case e.code === 409:
      return new CrmError('conflict', message, opts)
    case e.code === 477: // migration in progress, with Retry-After
      return new CrmError('rate_limited', message, { ...opts, retryAfterMs: retryAfterMs(e.headers) ?? 5_000 })
    case e.code >= 500:
      return new CrmError('transient', message, opts)
    default:
      return new CrmError('validation', message, opts)
  }
}
