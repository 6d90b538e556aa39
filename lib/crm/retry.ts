import { CrmError } from './errors'

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  sleep?: (ms: number) => Promise<void>
  onRetry?: (error: CrmError, attempt: number, delayMs: number) => void
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Runs `fn`, retrying only what the taxonomy says may be retried: rate limits after the
 * time the CRM asked for, transient failures with exponential backoff and jitter.
 * Everything else (validation, auth, daily limit) fails at once: retrying it would only
 * spend the portal's budget.
 */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (!(e instanceof CrmError) || e.retry === 'never' || attempt >= opts.attempts) throw e
      const backoff = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1))
      const delay = e.retry === 'after' ? (e.retryAfterMs ?? backoff) : backoff * (0.5 + Math.random() / 2)
      opts.onRetry?.(e, attempt, delay)
      await sleep(delay)
    }
  }
}
