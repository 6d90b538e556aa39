import { Client } from '@hubspot/api-client'
import Bottleneck from 'bottleneck'
import type { z } from 'zod'
import { CrmError } from '../../errors'
import { withRetry } from '../../retry'
import { SlidingWindow } from '../../sliding-window'
import { classifyHubSpotError, httpError } from './errors'
import { parseResponse } from './parse'
import { burstCount, type HeaderSource } from './rate-limit-headers'

export interface HubSpotClientOptions {
  /** The sandbox's URL in dev and tests; HubSpot's by default. No trailing slash. */
  basePath?: string
  /** Returns a valid access token (refreshing it when needed). */
  getAccessToken: () => Promise<string>
  /** Called once when HubSpot says the token expired; returns a fresh one. */
  refreshAccessToken?: () => Promise<string>
  /** The portal's burst limit per 10 s (private app: 100 free / 190 pro+; OAuth app: 110). */
  perTenSeconds: number
  /** Search has its own limit: 5 requests/s per account. */
  searchPerSecond?: number
  /** Attempts per call, the first included. */
  attempts?: number
  sleep?: (ms: number) => Promise<void>
}

export type CallKind = 'general' | 'search'

/** A call's value with the headers it came with: the typed APIs' `...WithHttpInfo` methods give this (their `HttpInfo`). */
export interface Answered<T> {
  data: T
  headers?: HeaderSource
}

/** One HTTP call through the SDK's `apiRequest`: a path under the base path, JSON in and out. */
export interface JsonRequest {
  method: 'GET' | 'POST'
  path: string
  /** Query parameters; an array is sent comma-separated, as HubSpot documents (`properties=a,b`). */
  qs?: Record<string, string | number | boolean | string[] | undefined>
  body?: unknown
}

/**
 * The official SDK behind our own budget. The SDK's limiter is a process-wide singleton
 * and its retries ignore Retry-After, so both are ours: a rolling-window gate keeps every
 * 10 seconds under the portal's burst limit (using the whole window, not an even drip;
 * each call counted until 10 s after its answer, when HubSpot has surely let it go),
 * search has its own 5-per-second gate, Bottleneck bounds concurrency, and only
 * retriable failures are retried. The burst bucket is the app's in the account, shared with
 * our other processes using the same connection, so the gate also heeds HubSpot's own count
 * of it, which every answer but search's carries (see SlidingWindow and burstCount).
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
export class HubSpotApi {
  private client: Client
  private token: string | undefined
  private calls = 0
  private readonly general: Bottleneck
  private readonly search: Bottleneck
  private readonly windows: Record<CallKind, SlidingWindow>

  constructor(private readonly opts: HubSpotClientOptions) {
    this.client = new Client({ basePath: opts.basePath?.replace(/\/+$/, '') })
    this.general = new Bottleneck({ maxConcurrent: 6 })
    this.search = new Bottleneck({ maxConcurrent: 2 })
    this.windows = {
      general: new SlidingWindow(opts.perTenSeconds, 10_000),
      search: new SlidingWindow(opts.searchPerSecond ?? 5, 1_000),
    }
  }

  apiCalls(): number {
    return this.calls
  }

  /**
   * Runs one SDK call within the budget, with the retry taxonomy applied. `fn` answers with
   * its headers (a typed API's `...WithHttpInfo` method), so the gate hears HubSpot's count
   * from every call, writes included; a failure's headers are read from the error.
   */
  async call<T>(kind: CallKind, fn: (client: Client) => Promise<Answered<T>>): Promise<T> {
    let refreshed = false
    const lane = kind === 'search' ? this.search : this.general
    // https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
    // The headers count the 10-second bucket; search's own limit (5 a second) has no headers,
    // and a search answer's (a daily 429's) must not be read as its window.
    const countOf = kind === 'general' ? burstCount : () => undefined
    return withRetry(
      async () => {
        await this.useToken(await this.opts.getAccessToken())
        try {
          return await lane.schedule(() => this.windows[kind].run(async (heard) => {
            this.calls++
            try {
              const answer = await fn(this.client)
              heard(countOf(answer.headers))
              return answer.data
            } catch (e) {
              heard(countOf(headersOf(e)))
              throw e
            }
          }))
        } catch (e) {
          const err = classifyHubSpotError(e)
          if (err.type === 'auth_expired' && !refreshed && this.opts.refreshAccessToken) {
            refreshed = true
            await this.useToken(await this.opts.refreshAccessToken())
            throw new CrmError('transient', 'access token refreshed; retrying', { cause: err })
          }
          throw err
        }
      },
      { attempts: this.opts.attempts ?? 5, baseDelayMs: 250, maxDelayMs: 8_000, sleep: this.opts.sleep },
    )
  }

  /**
   * A call through the SDK's generic `apiRequest` (its auth, base path and decorators), with
   * the JSON parsed by our schema. The typed APIs run the SDK's ObjectSerializer over every
   * record (~20 µs each, then our schema parses the result again); the hot read endpoints
   * come here instead. `apiRequest` resolves with the fetch Response whatever the status, so
   * a non-2xx becomes the same error the typed APIs throw, classified the same way; a body cut
   * short fails JSON.parse and is retried as transient, as before.
   */
  async json<S extends z.ZodType>(kind: CallKind, req: JsonRequest, schema: S, what: string): Promise<z.infer<S>> {
    const value = await this.call(kind, async (c) => {
      const res = await c.apiRequest({ method: req.method, path: req.path, qs: req.qs && definedParams(req.qs), body: req.body as object })
      const text = await res.text()
      if (!res.ok) throw httpError(res.status, text, Object.fromEntries(res.headers))
      return { data: JSON.parse(text) as unknown, headers: res.headers }
    })
    return parseResponse(schema, value, what)
  }

  private async useToken(token: string): Promise<void> {
    if (token === this.token) return
    this.token = token
    this.client.setAccessToken(token)
  }
}

/** The headers an SDK ApiException (or our httpError) carries; nothing for a network failure. */
function headersOf(e: unknown): HeaderSource {
  const headers = typeof e === 'object' && e !== null ? (e as { headers?: unknown }).headers : undefined
  return typeof headers === 'object' && headers !== null ? (headers as HeaderSource) : undefined
}

function definedParams(qs: NonNullable<JsonRequest['qs']>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(qs)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : String(v)
  return out
}
