// A connection's conflict settings, as stored in crm_connections.settings and edited in the
// app. Parsed at the edge; the resolver trusts the parsed value.
import { z } from 'zod'
import { OBJECT_TYPES, type ObjectType } from '../types'

export const STRATEGIES = ['timestamp_based', 'source_priority', 'field_merge', 'manual_review'] as const
export const strategySchema = z.enum(STRATEGIES)
export type Strategy = z.infer<typeof strategySchema>

/** The two systems a value can come from: the customer's CRM, or the app's own tables. */
export const systemSchema = z.enum(['crm', 'app'])
export type System = z.infer<typeof systemSchema>

/** "contact.email": an object type and a field (canonical or mapped). */
const fieldKeySchema = z.templateLiteral([z.enum(OBJECT_TYPES), '.', z.string().min(1)])
export type FieldKey = z.infer<typeof fieldKeySchema>

export const conflictConfigSchema = z.object({
  strategy: strategySchema.default('timestamp_based'),
  perObject: z.partialRecord(z.enum(OBJECT_TYPES), strategySchema).optional(),
  perField: z.partialRecord(fieldKeySchema, strategySchema).optional(),
  /** First listed wins under source_priority; a system left out ranks last. */
  sourcePriority: z.array(systemSchema).min(1).max(2)
    .refine((list) => new Set(list).size === list.length, 'sourcePriority lists a system twice')
    .default(['crm', 'app']),
  /** An owned field only ever flows from its owner, whatever the strategy. */
  fieldOwnership: z.partialRecord(fieldKeySchema, systemSchema).optional(),
  neverOverwriteWithEmpty: z.boolean().default(true),
  /** Who wins a timestamp tie, or a comparison where a timestamp is missing. */
  tiebreak: systemSchema.default('crm'),
})
export type ConflictConfig = z.output<typeof conflictConfigSchema>
export type ConflictConfigInput = z.input<typeof conflictConfigSchema>

export const defaultConflictConfig: ConflictConfig = conflictConfigSchema.parse({})

/** perField > perObject > strategy. */
export function strategyFor(config: ConflictConfig, objectType: ObjectType, field: string): Strategy {
  return config.perField?.[`${objectType}.${field}`] ?? config.perObject?.[objectType] ?? config.strategy
}

export function ownerOf(config: ConflictConfig, objectType: ObjectType, field: string): System | undefined {
  return config.fieldOwnership?.[`${objectType}.${field}`]
}
