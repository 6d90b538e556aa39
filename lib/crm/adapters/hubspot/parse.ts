import type { z } from 'zod'
import { CrmError } from '../../errors'

/** Parses a HubSpot response; a shape we do not understand is a bad_response, not a crash. */
export function parseResponse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    throw new CrmError('bad_response', `HubSpot ${what} response did not match: ${parsed.error.issues[0]?.message}`, {
      cause: parsed.error,
    })
  }
  return parsed.data
}
