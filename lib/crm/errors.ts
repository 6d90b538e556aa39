// One error class for the engine. `type` says what happened, `retry` what may be
// done about it (the retry taxonomy), `status` what an HTTP caller should answer.
export type CrmErrorType =
  | 'rate_limited' // burst or secondly limit: retry after `retryAfterMs`
  | 'daily_limit' // the portal's daily budget is spent: stop until tomorrow
  | 'auth_expired' // token expired or revoked: reconnect (or refresh) first
  | 'forbidden' // missing scopes
  | 'not_found'
  | 'validation' // the CRM rejected our input: retrying the same input is pointless
  | 'conflict'
  | 'transient' // 5xx, timeouts, truncated bodies: retry with backoff
  | 'bad_response' // the CRM answered something we cannot parse
  | 'busy' // another run holds this connection's lease
  | 'config'

export type RetryPolicy = 'never' | 'backoff' | 'after'

const RETRY: Record<CrmErrorType, RetryPolicy> = {
  rate_limited: 'after',
  daily_limit: 'never',
  auth_expired: 'never',
  forbidden: 'never',
  not_found: 'never',
  validation: 'never',
  conflict: 'never',
  transient: 'backoff',
  bad_response: 'backoff',
  busy: 'never',
  config: 'never',
}

const STATUS: Record<CrmErrorType, number> = {
  rate_limited: 429,
  daily_limit: 429,
  auth_expired: 401,
  forbidden: 403,
  not_found: 404,
  validation: 400,
  conflict: 409,
  transient: 502,
  bad_response: 502,
  busy: 409,
  config: 500,
}

export class CrmError extends Error {
  readonly retry: RetryPolicy
  readonly status: number
  constructor(
    readonly type: CrmErrorType,
    message: string,
    opts: { cause?: unknown; retryAfterMs?: number; httpStatus?: number; body?: unknown } = {},
  ) {
    super(message, { cause: opts.cause })
    this.name = 'CrmError'
    this.retry = RETRY[type]
    this.status = STATUS[type]
    this.retryAfterMs = opts.retryAfterMs
    this.httpStatus = opts.httpStatus
    this.body = opts.body
  }
  readonly retryAfterMs?: number
  readonly httpStatus?: number
  readonly body?: unknown
}

export function isCrmError(e: unknown, type?: CrmErrorType): e is CrmError {
  return e instanceof CrmError && (type === undefined || e.type === type)
}
