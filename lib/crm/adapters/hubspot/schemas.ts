import { z } from 'zod'

// What we accept from HubSpot, parsed rather than cast. Reads arrive as raw JSON (dates as
// strings); the typed SDK calls left on the write path deserialize dates into Date objects,
// so these schemas accept both forms, the common one first.
const date = z.union([z.string().pipe(z.coerce.date()), z.date()])
const associated = z.object({ id: z.string(), type: z.string().optional() })

/**
 * A record's properties: strings or null. Checked in place: z.record copies every entry
 * (16 a contact, 100 contacts a page), which cost more than the rest of the record's parse.
 */
const properties = z.custom<Record<string, string | null>>((v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  for (const key in v) {
    const value = (v as Record<string, unknown>)[key]
    if (value !== null && typeof value !== 'string') return false
  }
  return true
}, 'properties must be an object of strings or nulls')

export const hubSpotObjectSchema = z.object({
  id: z.string(),
  properties,
  createdAt: date,
  updatedAt: date,
  archived: z.boolean().optional(),
  archivedAt: date.optional().nullable(),
  associations: z
    .record(z.string(), z.object({ results: z.array(associated) }))
    .optional()
    .nullable()
    .transform((v) => v ?? undefined),
})
export type HubSpotObject = z.infer<typeof hubSpotObjectSchema>

const paging = z.object({ next: z.object({ after: z.string() }).optional().nullable() }).optional().nullable()

export const listResponseSchema = z.object({ results: z.array(hubSpotObjectSchema), paging })
export const searchResponseSchema = z.object({ total: z.number(), results: z.array(hubSpotObjectSchema), paging })

export const batchResponseSchema = z.object({
  status: z.string(),
  results: z.array(hubSpotObjectSchema),
  numErrors: z.number().optional(),
  errors: z
    .array(
      z.object({
        status: z.string().optional(),
        category: z.string().optional(),
        message: z.string(),
        context: z.record(z.string(), z.array(z.string())).optional().nullable(),
      }),
    )
    .optional(),
})

export const hubSpotOwnerSchema = z.object({
  id: z.string(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  userId: z.number().nullable().optional(),
  archived: z.boolean().optional(),
  updatedAt: date,
})
export type HubSpotOwner = z.infer<typeof hubSpotOwnerSchema>
export const ownersResponseSchema = z.object({ results: z.array(hubSpotOwnerSchema), paging })

export const associationsBatchSchema = z.object({
  results: z.array(
    z.object({
      // The SDK's model renames the reserved word `from` to `_from`.
      from: z.object({ id: z.string() }).optional(),
      _from: z.object({ id: z.string() }).optional(),
      to: z.array(
        z.object({
          toObjectId: z.union([z.string(), z.number()]).transform(String),
          associationTypes: z.array(z.object({ typeId: z.number(), category: z.string().optional() })).optional(),
        }),
      ),
    }).transform(({ from, _from, to }) => ({ from: (from ?? _from)!, to })).refine((r) => r.from !== undefined, 'missing from'),
  ),
})

/** HubSpot's error body. Every field is optional, as HubSpot says to treat them. */
export const hubSpotErrorSchema = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    category: z.string().optional(),
    policyName: z.string().optional(),
    errorType: z.string().optional(),
  })
  .passthrough()
