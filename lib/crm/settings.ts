import { z } from 'zod'
import { conflictConfigSchema } from './conflicts/config'

// A connection's sync settings, stored as crm_connections.settings (jsonb) and parsed
// here at the edge. Every field has a default, so `{}` is a complete configuration.
export const connectionSettingsSchema = z.object({
  direction: z.enum(['pull', 'push', 'bidirectional']).default('bidirectional'),
  conflicts: conflictConfigSchema.default(conflictConfigSchema.parse({})),
  entities: z
    .object({ owner: z.boolean(), company: z.boolean(), contact: z.boolean(), deal: z.boolean() })
    .partial()
    .default({})
    .transform((e) => ({ owner: e.owner ?? true, company: e.company ?? true, contact: e.contact ?? true, deal: e.deal ?? true })),
  /** ISO 3166 alpha-2 country for phone numbers written without a country code. */
  defaultCountry: z.string().length(2).toUpperCase().optional(),
  /** How far an incremental search reaches back before the watermark (covers HubSpot's indexing lag). */
  lookbackMs: z.number().int().min(0).max(86_400_000).default(120_000),
  /** Minutes between scheduled syncs (cron). */
  frequencyMinutes: z.number().int().min(5).max(10_080).default(60),
  /**
   * The portal's burst limit per 10 s; unset: by auth method (private app 100, OAuth 110).
   * HubSpot's own limits stop at 250; the ceiling is higher for sandboxes and benchmarks.
   */
  requestsPerTenSeconds: z.number().int().min(1).max(100_000).optional(),
})
export type ConnectionSettings = z.output<typeof connectionSettingsSchema>
export type ConnectionSettingsInput = z.input<typeof connectionSettingsSchema>

export function parseSettings(value: unknown): ConnectionSettings {
  return connectionSettingsSchema.parse(value ?? {})
}
