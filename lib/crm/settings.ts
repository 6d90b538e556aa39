import { isSupportedCountry } from 'libphonenumber-js/max'
import { z } from 'zod'
import { conflictConfigSchema, strategySchema } from './conflicts/config'
import { entitiesProblem } from './entities'
import { CrmError } from './errors'

const directionSchema = z.enum(['pull', 'push', 'bidirectional'])

/**
 * A country for phone numbers, as a person sets it: one libphonenumber-js can read numbers
 * of. "UK" is two letters but no ISO 3166 code (the United Kingdom is GB), and a country the
 * library does not know would leave every number written without a +code unreadable.
 */
const countryChangeSchema = z.string()
  .regex(/^[A-Za-z]{2}$/, { error: 'defaultCountry must be a two-letter country code', abort: true })
  .toUpperCase()
  .refine(isSupportedCountry, { error: (issue) => `defaultCountry ${JSON.stringify(issue.input)} is not a country code for phone numbers (ISO 3166 alpha-2: GB for the United Kingdom, US, DE, …)` })

/**
 * The stored country, read leniently: one saved before the check above (e.g. "UK") counts as
 * unset, as the pull's phone normalization already treats it, rather than failing every read
 * of the connection's settings (the dashboard, the cron, its syncs). The dashboard then shows
 * no country, and the next save of the settings replaces it.
 */
const storedCountrySchema = z.string().optional()
  .transform((c) => {
    const code = c?.trim().toUpperCase()
    return code && isSupportedCountry(code) ? code : undefined
  })
/** Minutes between scheduled syncs (cron). */
const frequencyMinutesSchema = z.number().int().min(5).max(10_080)

/** Most extra properties a connection reads per object type (each one is sent with every read). */
export const MAX_EXTRA_PROPERTIES = 50
const propertyNameSchema = z.string().trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'a property name is its internal name: a letter, then letters, digits or underscores (at most 100)')
const propertyListSchema = z.array(propertyNameSchema).max(MAX_EXTRA_PROPERTIES, `at most ${MAX_EXTRA_PROPERTIES} extra properties per object type`)
  .transform((names) => [...new Set(names)])
/**
 * CRM properties read beside the ones Syncline maps to columns, per object type, by their
 * internal names. Their values land in the record's `crm_properties` (jsonb), CRM → app
 * only: the app reads them, the sync keeps them current, nothing is sent back.
 */
const extraPropertiesSchema = z.object({ contact: propertyListSchema, company: propertyListSchema, deal: propertyListSchema })

// A connection's sync settings, stored as crm_connections.settings (jsonb) and parsed
// here at the edge. Every field has a default, so `{}` is a complete configuration.
export const connectionSettingsSchema = z.object({
  direction: directionSchema.default('bidirectional'),
  conflicts: conflictConfigSchema.default(conflictConfigSchema.parse({})),
  /** Which object types sync (both ways); an unset one does. */
  entities: z
    .object({ owner: z.boolean(), company: z.boolean(), contact: z.boolean(), deal: z.boolean() })
    .partial()
    .default({})
    .transform((e) => ({ owner: e.owner ?? true, company: e.company ?? true, contact: e.contact ?? true, deal: e.deal ?? true })),
  /** ISO 3166 alpha-2 country for phone numbers written without a country code. */
  defaultCountry: storedCountrySchema,
  /** How far an incremental search reaches back before the watermark (covers HubSpot's indexing lag). */
  lookbackMs: z.number().int().min(0).max(86_400_000).default(120_000),
  frequencyMinutes: frequencyMinutesSchema.default(60),
  /** Hours between re-reads of every record's associations, which the incremental search cannot see change (see lib/crm/pull/association-check.ts). */
  associationCheckHours: z.number().int().min(1).max(720).default(24),
  /**
   * The portal's burst limit per 10 s; unset: by auth method (private app 100, OAuth 110).
   * HubSpot's own limits stop at 250; the ceiling is higher for sandboxes and benchmarks.
   */
  requestsPerTenSeconds: z.number().int().min(1).max(100_000).optional(),
  extraProperties: extraPropertiesSchema.partial().default({})
    .transform((e) => ({ contact: e.contact ?? [], company: e.company ?? [], deal: e.deal ?? [] })),
})
export type ConnectionSettings = z.output<typeof connectionSettingsSchema>
export type ConnectionSettingsInput = z.input<typeof connectionSettingsSchema>

export function parseSettings(value: unknown): ConnectionSettings {
  return connectionSettingsSchema.parse(value ?? {})
}

/**
 * What a person may change from the dashboard (POST /api/crm/settings): which way records
 * flow, which object types sync, how conflicts are settled, the default country for phone
 * numbers, and how often the cron syncs. Every field optional; `defaultCountry: null` clears it.
 */
export const settingsChangeSchema = z.strictObject({
  direction: directionSchema.optional(),
  conflictStrategy: strategySchema.optional(),
  defaultCountry: countryChangeSchema.nullable().optional(),
  frequencyMinutes: frequencyMinutesSchema.optional(),
  /** Object types to turn on or off; those left out keep their setting. */
  entities: z.strictObject({ owner: z.boolean(), company: z.boolean(), contact: z.boolean(), deal: z.boolean() }).partial().optional(),
  /** Each type given replaces that type's list of extra properties; those left out keep theirs. */
  extraProperties: z.strictObject({ contact: propertyListSchema, company: propertyListSchema, deal: propertyListSchema }).partial().optional(),
})
export type SettingsChange = z.infer<typeof settingsChangeSchema>

/**
 * The stored settings with a change applied, as stored (unset fields stay unset, so their
 * defaults keep applying). The result is validated whole: a stored value that no longer
 * parses is reported rather than carried forward.
 */
export function applySettingsChange(stored: unknown, change: SettingsChange): Record<string, unknown> {
  const current = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>
  const next: Record<string, unknown> = { ...current }
  if (change.direction !== undefined) next.direction = change.direction
  if (change.frequencyMinutes !== undefined) next.frequencyMinutes = change.frequencyMinutes
  if (change.defaultCountry === null) delete next.defaultCountry
  else if (change.defaultCountry !== undefined) next.defaultCountry = change.defaultCountry
  if (change.entities !== undefined) {
    const entities = (current.entities && typeof current.entities === 'object' ? current.entities : {}) as Record<string, unknown>
    next.entities = { ...entities, ...change.entities }
  }
  if (change.extraProperties !== undefined) {
    const extra = (current.extraProperties && typeof current.extraProperties === 'object' ? current.extraProperties : {}) as Record<string, unknown>
    next.extraProperties = { ...extra, ...change.extraProperties }
  }
  if (change.conflictStrategy !== undefined) {
    const conflicts = (current.conflicts && typeof current.conflicts === 'object' ? current.conflicts : {}) as Record<string, unknown>
    next.conflicts = { ...conflicts, strategy: change.conflictStrategy }
  }
  const problem = entitiesProblem(connectionSettingsSchema.parse(next).entities)
  if (problem) throw new CrmError('validation', problem)
  return next
}

/**
 * Pure: per object type, the chosen extra properties that the CRM did not have at its last
 * read of the portal's properties (`missing`, as stored); only types with some. A name since
 * taken off the list is no longer anyone's concern.
 */
export function missingExtraProperties(chosen: ConnectionSettings['extraProperties'], missing: Partial<Record<keyof ConnectionSettings['extraProperties'], readonly string[]>>) {
  const out: Partial<Record<keyof ConnectionSettings['extraProperties'], string[]>> = {}
  for (const type of Object.keys(chosen) as Array<keyof typeof chosen>) {
    const names = chosen[type].filter((n) => missing[type]?.includes(n))
    if (names.length) out[type] = names
  }
  return out
}

/** The settings the dashboard shows. */
export function settingsView(stored: unknown) {
  const s = parseSettings(stored)
  return {
    direction: s.direction, entities: s.entities, conflictStrategy: s.conflicts.strategy, defaultCountry: s.defaultCountry ?? null,
    frequencyMinutes: s.frequencyMinutes, extraProperties: s.extraProperties,
  }
}
export type SettingsView = ReturnType<typeof settingsView>
