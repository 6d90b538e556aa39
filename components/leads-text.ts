import { figure } from '@/lib/counted'
import { LEADS_LAST_PAGE, LEADS_PAGE_SIZE } from '@/lib/leads-query'

// What the leads list says about its count, its pages and an empty page, as pure functions
// (the table is a server component; these are tested by table). The count says what the rows
// below are drawn from: with a search, the matches out of all; the empty line and the pages
// agree with it.

export interface LeadsListState {
  /** The search, if any. */
  q?: string
  /** Live contacts in the workspace. */
  total: number
  /** Those the search matches (`total` without a search), as far as its count went. */
  matching: number
  /** More match than `matching`: a search's count stops (countMatchingLeads), "10,000+". */
  more?: boolean
  /** Rows on this page. */
  shown: number
}

const matches = ({ matching, more }: LeadsListState) => `${figure(matching)}${more ? '+' : ''}`

/** "254 contacts", or with a search "0 of 254 contacts match", "10,000+ of 1,000,000 contacts match". */
export function leadCountText(s: LeadsListState): string {
  const all = `${figure(s.total)} ${s.total === 1 ? 'contact' : 'contacts'}`
  return s.q ? `${matches(s)} of ${all} match` : all
}

/** The line shown instead of rows; null when there are rows. */
export function emptyLeadsText({ q, total, matching, shown }: LeadsListState): string | null {
  if (shown > 0) return null
  // A page past the last one (an old link, a lead archived meanwhile): the search has matches, just not here.
  if (matching > 0) return 'No contacts on this page.'
  if (q) return `No contacts match “${q}”.`
  // Said before any CRM is connected too: "the first sync page lands" was the code's picture, and Add lead works then.
  return total > 0 ? 'No contacts on this page.' : 'No contacts yet: they appear here as a sync brings them in from HubSpot, or add one with Add lead.'
}

export interface LeadsPaging {
  /** "26–50 of 60", "1–25 of 10,000+"; on a page past the last, "page 4 of 3". */
  range: string
  /** The pages the links lead to, null where there is none. */
  newer: number | null
  older: number | null
}

/**
 * The list's pages, or null when all it has fits on one. Past a search's capped count the
 * number of pages is not known: an older page is offered while the count says more match than
 * this page reaches (the page asks the count to go at least that far).
 */
export function leadsPaging(s: LeadsListState, page: number): LeadsPaging | null {
  const pages = Math.max(1, Math.ceil(s.matching / LEADS_PAGE_SIZE))
  if (pages === 1 && !s.more) return null
  const first = (page - 1) * LEADS_PAGE_SIZE + 1
  return {
    range: s.shown ? `${figure(first)}–${figure(first + s.shown - 1)} of ${matches(s)}` : `page ${figure(page)} of ${figure(pages)}${s.more ? '+' : ''}`,
    newer: page > 1 ? Math.min(page - 1, pages) : null,
    older: (page < pages || s.more) && page < LEADS_LAST_PAGE ? page + 1 : null,
  }
}
