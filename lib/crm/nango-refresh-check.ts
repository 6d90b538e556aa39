import type { Nango } from '@nangohq/node'
import { z } from 'zod'

// Nango's auth webhooks carry no timestamp and no delivery id, and Nango serialises the body
// stably: two genuine refresh failures of one connection, months apart, are the same bytes
// under the same signature. So a captured failure could be replayed after the user reconnected
// and would mark a working connection as needing reauth; and a store of digests already seen
// could not tell that replay from the connection's next genuine failure (it would drop the
// genuine one). The delivery is therefore a hint: before a connection is marked, Nango is asked
// whether it still cannot refresh it. A replay proves nothing Nango does not confirm now.

export type RefreshCheck =
  /** Nango cannot give a token for the connection: the failure is real now. */
  | { failing: true }
  /** Nango answers the connection without an auth error: it refreshes fine (the delivery is old, or the failure passed). */
  | { failing: false }

const answeredSchema = z.object({
  errors: z.array(z.object({ type: z.string() }).passthrough()).nullish(),
}).passthrough()

const refusalSchema = z.object({
  response: z.object({
    status: z.number(),
    data: z.object({ error: z.object({ code: z.string().optional() }).passthrough().optional() }).passthrough().nullish(),
  }),
})

/**
 * Whether an error from @nangohq/node says Nango cannot give a token for the connection until
 * the user connects again: 424 invalid_credentials (Nango tried to refresh and the provider
 * refused: refresh exhausted), or 404 (Nango no longer has the connection; no token will come
 * from it either). Not a 5xx, a network error or our key refused: those say nothing of the
 * connection. Read by this check and by a sync asking for a token (auth/token-source.ts).
 */
export function nangoCannotGiveToken(e: unknown): boolean {
  const refused = refusalSchema.safeParse(e)
  if (!refused.success) return false
  const { status, data } = refused.data.response
  return status === 424 || status === 404 || data?.error?.code === 'invalid_credentials'
}

/**
 * Whether Nango still fails to refresh the connection, asked the way a sync asks for a token
 * (Nango refreshes a token expiring within 15 minutes before answering). Throws when Nango's
 * answer says neither (unreachable, 5xx, our key refused): then nothing is known.
 */
export async function nangoRefreshCheck(nango: Nango, providerConfigKey: string, connectionId: string): Promise<RefreshCheck> {
  let answer: unknown
  try {
    // https://docs.nango.dev/reference/api/connection/get
    answer = await nango.getConnection(providerConfigKey, connectionId)
  } catch (e) {
    if (nangoCannotGiveToken(e)) return { failing: true }
    throw e
  }
  const parsed = answeredSchema.safeParse(answer)
  if (!parsed.success) throw new Error('Nango answered with connection details Syncline cannot read', { cause: parsed.error })
  // Nango keeps an `auth` error on the connection from a failed refresh until one succeeds.
  return { failing: (parsed.data.errors ?? []).some((err) => err.type === 'auth') }
}
