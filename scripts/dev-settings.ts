import { z } from 'zod'
import { EnvError } from '../lib/env'

// The settings only the local commands read (npm run dev, and npm run sync's stand-in
// sandbox), checked as lib/env.ts checks the app's: read with Number() they were not, so
// PORT=abc stopped `npm run dev` with node's RangeError about "options.port", and
// HUBSPOT_SANDBOX_CONTACTS=1k seeded an empty portal without a word.

const blankIsUnset = (v: unknown) => (v === '' ? undefined : v)
const port = (fallback: number) =>
  z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a port number (1-65535)' }).int('must be a port number (1-65535)')
    .min(1, 'must be a port number (1-65535)').max(65535, 'must be a port number (1-65535)').default(fallback))

export const devSettingsSchema = z.object({
  PORT: port(3000),
  HUBSPOT_SANDBOX_PORT: port(4010),
  // As many as the sandbox's own --contacts takes for the benchmark's largest portal.
  HUBSPOT_SANDBOX_CONTACTS: z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a whole number of contacts (0-2000000)' })
    .int('must be a whole number of contacts (0-2000000)').min(0, 'must be a whole number of contacts (0-2000000)')
    .max(2_000_000, 'must be a whole number of contacts (0-2000000)').default(250)),
})

export type DevSettings = z.infer<typeof devSettingsSchema>

/** The local commands' own settings; a bad value is an EnvError naming every problem, as lib/env's. */
export function devSettings(source: Record<string, string | undefined> = process.env): DevSettings {
  const result = devSettingsSchema.safeParse(source)
  if (!result.success) throw new EnvError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  return result.data
}

/**
 * For a command's start: `read`'s value, or, on an EnvError, its message (every problem
 * named) on stderr and exit 1, rather than the stack trace an uncaught one printed.
 */
export function settingsOrExit<T>(read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (!(e instanceof EnvError)) throw e
    console.error(`✗ ${e.message}`)
    process.exit(1)
  }
}
