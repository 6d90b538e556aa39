import { z } from 'zod'

// The dashboard's leads list: ?q= (search) and ?page= in its URL, so a search can be
// linked and reloaded. A value that cannot be used is dropped (the first page, no search)
// rather than failing the whole dashboard; it is a view, nothing is changed by it.

export const LEADS_PAGE_SIZE = 25
/** The last ?page= taken (a larger one reads as the first). */
export const LEADS_LAST_PAGE = 10_000

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v)

export const leadsQuerySchema = z.object({
  // Postgres text cannot hold a NUL: such a search reached the query and failed the whole dashboard (500).
  q: z.preprocess(first, z.string().trim().max(200).refine((q) => !q.includes('\u0000')).optional()).catch(undefined).transform((q) => q || undefined),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(LEADS_LAST_PAGE)).catch(1),
})

export type LeadsPageQuery = z.infer<typeof leadsQuerySchema>

/** The dashboard URL for a page of a search, without parameters that are at their defaults. */
export function leadsHref(q: LeadsPageQuery): string {
  const params = new URLSearchParams()
  if (q.q) params.set('q', q.q)
  if (q.page > 1) params.set('page', String(q.page))
  const s = params.toString()
  return s ? `/?${s}#leads` : '/#leads'
}
