import { z } from 'zod'
import { leadsHref, type LeadsPageQuery } from './leads-query'

// The dashboard's conflicts queue: ?conflicts_page= in its URL, beside the leads list's own
// ?q= and ?page=, so each list pages on its own. A value that cannot be used is the first page.

export const CONFLICTS_PAGE_SIZE = 50

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v)

export const conflictsPageSchema = z.preprocess(first, z.coerce.number().int().min(1).max(10_000)).catch(1)

/** The page to show of `total` open conflicts: the one asked for, or the last when fewer are left (decisions empty pages). */
export function conflictsPage(asked: number, total: number): number {
  return Math.min(asked, Math.max(1, Math.ceil(total / CONFLICTS_PAGE_SIZE)))
}

/** The dashboard URL for a page of the conflicts queue, keeping the leads list where it is. */
export function conflictsHref(leads: LeadsPageQuery, page: number): string {
  const params = new URLSearchParams(leadsHref(leads).replace(/^\/\??/, '').replace(/#.*$/, ''))
  if (page > 1) params.set('conflicts_page', String(page))
  const s = params.toString()
  return s ? `/?${s}#conflicts` : '/#conflicts'
}
