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
  | 'schema' // the app's tables lack what Syncline reads or writes (a mapped column renamed or dropped): fix the schema

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
  schema: 'never',
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
  schema: 500,
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

// SQLSTATEs (https://www.postgresql.org/docs/15/errcodes-appendix.html) that say the app's
// tables are not the shape the sync's statements expect: permanent until the schema is fixed,
// so not retried as if the database had merely hiccuped.
const SCHEMA_SQLSTATES = new Set([
  '42703', // undefined_column
  '42P01', // undefined_table
  '42804', // datatype_mismatch
  '42846', // cannot_coerce
  '42883', // undefined_function
  '42704', // undefined_object
  '42702', // ambiguous_column
  '42P10', // invalid_column_reference (an ON CONFLICT without its unique index)
])

/** The SQLSTATE and message of a Postgres error (postgres.js or PGlite) that says the schema changed; undefined for anything else. */
export function schemaErrorOf(e: unknown): { code: string; message: string } | undefined {
  if (!(e instanceof Error) || isCrmError(e)) return undefined
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' && SCHEMA_SQLSTATES.has(code) ? { code, message: e.message } : undefined
}

/**
 * What a run says when its statements do not fit the app's tables: which mapped columns (or
 * tables) are missing, when that is it, else Postgres's own words, and what to do.
 */
export function schemaChanged(pg: { code: string; message: string }, missing: string[], cause?: unknown): CrmError {
  const what = missing.length
    ? missing.map((m) => (m.includes('.') ? `column ${m} does not exist` : `table ${m} does not exist`)).join(', ')
    : `${pg.message} (SQLSTATE ${pg.code})`
  return new CrmError('schema', `the app's schema changed: ${what}; Syncline needs the columns listed in lib/store/columns.ts `
    + '(and README, "The app\'s tables changed under it"); restore it (rename it back, or add it again), then sync again. '
    + 'Nothing waiting to be sent was dropped', { cause })
}

/**
 * The type a run's error message is tagged with, as sync-service writes it ("[auth_expired] …"),
 * or null: what the card, Refresh CRM's result and the run loop read from a stored message.
 */
export function taggedErrorType(message: string): string | null {
  return /^\[([a-z_]+)\]/.exec(message)?.[1] ?? null
}

/** Whether a run's error says the CRM refused the token: reconnecting is the way out, a retry cannot help. */
export function refusedToken(message: string): boolean {
  const type = taggedErrorType(message)
  return type === 'auth_expired' || type === 'forbidden'
}
