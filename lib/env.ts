import { isSupportedCountry } from 'libphonenumber-js/max'
import { z } from 'zod'

// Every setting Syncline reads, in one schema. Parsed once; a bad value fails fast with
// a message that names every problem at once. .env.example documents each variable.
const blankIsUnset = (v: unknown) => (v === '' ? undefined : v)
// An address reached over the web, scheme included: `localhost:3000` or `app.example.com:443`
// parse as URLs of scheme "localhost:" and fail only where a path is put on them (the OAuth
// callback answered 500 "Invalid URL").
const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, with its scheme' })
const optionalWebUrl = z.preprocess(blankIsUnset, webUrl.optional())
// Supabase's dashboard shows the project's https URL beside the database's: that one is
// NEXT_PUBLIC_SUPABASE_URL, and a database client took it for a Postgres host on port 5432.
const databaseUrl = z.preprocess(blankIsUnset, z.url({ protocol: /^postgres(ql)?$/,
  error: "must be a postgres:// (or postgresql://) connection string: on Supabase, the database's (Connect), not the project's https URL" }).optional())
// A previous key is checked as it was when it was TOKEN_ENCRYPTION_KEY, so it decodes to the same bytes.
const isTokenKey = (s: string) => Buffer.from(s, 'base64').length === 32
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional())
const bool = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : v),
    z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]),
  )

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_URL: webUrl.default('http://localhost:3000'),

  // Unset: embedded PGlite under SYNCLINE_DATA_DIR. Set: that server (Supabase, any Postgres).
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // Supabase's transaction pooler (port 6543) cannot keep prepared statements.
  // Unset: off for port 6543 or `pgbouncer=true`, on otherwise.
  DATABASE_PREPARE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false']).optional()),
  SYNCLINE_DATA_DIR: z.string().min(1).default('.data'),

  HUBSPOT_API_BASE_URL: webUrl.default('https://api.hubapi.com'),
  HUBSPOT_AUTH_BASE_URL: webUrl.default('https://app.hubspot.com'),
  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_CLIENT_ID: optionalString,
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_APP_ID: optionalString,
  HUBSPOT_DEVELOPER_API_KEY: optionalString,
  HUBSPOT_WEBHOOK_ALLOW_V1: bool(false),

  NANGO_SECRET_KEY: optionalString,
  NANGO_HOST: optionalWebUrl,
  NANGO_WEBHOOK_SECRET: optionalString,
  NANGO_HUBSPOT_INTEGRATION_ID: z.string().min(1).default('hubspot'),

  CRON_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).optional()),
  // 32 bytes, base64. Unset in development: a key is generated under SYNCLINE_DATA_DIR.
  TOKEN_ENCRYPTION_KEY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine(isTokenKey, 'must be 32 bytes, base64-encoded')
      .optional(),
  ),
  // Keys tokens may still be sealed under while a rotation is under way: used to open only.
  TOKEN_ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    blankIsUnset,
    z.string().optional().transform((s, ctx) => {
      if (s === undefined) return []
      const keys = s.split(',').map((k) => k.trim())
      // By position, never by value: the message lands in logs.
      const bad = keys.flatMap((k, i) => (isTokenKey(k) ? [] : [i + 1]))
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `key ${bad.join(', ')} of ${keys.length} is not 32 bytes, base64-encoded (comma-separated keys, each as TOKEN_ENCRYPTION_KEY)` })
        return z.NEVER
      }
      return keys
    }),
  ),

  NEXT_PUBLIC_SUPABASE_URL: optionalWebUrl,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
  // Production without Supabase Auth serves one workspace to anyone who can reach it: only
  // when this says so (a deployment behind its own sign-in, e.g. a VPN or an auth proxy).
  SYNCLINE_SINGLE_TENANT: bool(false),

  // Checked as a connection's own country is (lib/crm/settings.ts): an unknown code (UK for GB)
  // was taken, and every phone written without a +code then read as no number at all.
  SYNC_DEFAULT_PHONE_COUNTRY: z.preprocess(blankIsUnset, z.string().trim().toUpperCase()
    .refine(isSupportedCountry, { error: (issue) => `${JSON.stringify(issue.input)} is not a country code for phone numbers (ISO 3166 alpha-2: GB for the United Kingdom, US, DE, …)` })
    .default('US')),
})

export type Env = z.infer<typeof envSchema>

export class EnvError extends Error {
  readonly type = 'EnvError'
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join('\n')}`)
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source)
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const env = result.data
  const problems: string[] = []
  // `next build` (Next sets NEXT_PHASE while it builds) is not a deployment even with
  // DATABASE_URL in its shell: prerendering reads the settings, and a build environment
  // (a Docker build, CI) need not hold the runtime's secrets.
  const deployment = isDeployment(env) && source.NEXT_PHASE !== 'phase-production-build'
  if (deployment && !source.APP_URL) {
    problems.push('APP_URL: required in production: OAuth sends people back to it and webhook signatures are checked against it '
      + `(unset, it is ${env.APP_URL})`)
  }
  if (deployment && !env.TOKEN_ENCRYPTION_KEY) {
    problems.push('TOKEN_ENCRYPTION_KEY: required in production to encrypt CRM tokens at rest')
  }
  if (deployment && !authConfigured(env) && !env.SYNCLINE_SINGLE_TENANT) {
    problems.push('NEXT_PUBLIC_SUPABASE_URL, NEXT_PUBLIC_SUPABASE_ANON_KEY: required in production, or every visitor gets the one '
      + 'workspace with no sign-in; set SYNCLINE_SINGLE_TENANT=true only if something else in front of the app signs people in')
  }
  if (deployment && !env.CRON_SECRET) {
    problems.push("CRON_SECRET: required in production: Vercel's hourly cron (vercel.json) sends it, and without it every scheduled sync is refused")
  }
  if (env.NANGO_SECRET_KEY && !env.NANGO_WEBHOOK_SECRET) {
    problems.push('NANGO_WEBHOOK_SECRET: required with NANGO_SECRET_KEY to verify Nango auth webhooks')
  }
  if (problems.length) throw new EnvError(problems)
  return env
}

/** A production server with its own database: what README's deploy section sets up (not the embedded demo). */
const isDeployment = (env: Env) => env.NODE_ENV === 'production' && !!env.DATABASE_URL
const authConfigured = (env: Env) => !!(env.NEXT_PUBLIC_SUPABASE_URL && env.NEXT_PUBLIC_SUPABASE_ANON_KEY)

/** Production without sign-in and without saying so: every request is refused rather than given the local workspace. */
export const signInMissing = (env: Env) => env.NODE_ENV === 'production' && !authConfigured(env) && !env.SYNCLINE_SINGLE_TENANT

let cached: Env | undefined
export function env(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined
}
