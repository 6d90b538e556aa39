import { counted } from '@/lib/counted'

// What the leads list says about its count and an empty page, as pure functions (the table
// is a server component; these are tested by table). The count says what the rows below are
// drawn from: with a search, the matches out of all; the empty line agrees with it.

export interface LeadsListState {
  /** The search, if any. */
  q?: string
  /** Live contacts in the workspace. */
  total: number
  /** Those the search matches (`total` without a search). */
  matching: number
  /** Rows on this page. */
  shown: number
}

/** "254 contacts", or with a search "0 of 254 contacts match". */
export function leadCountText({ q, total, matching }: LeadsListState): string {
  return q ? `${matching} of ${counted(total, 'contact')} match` : counted(total, 'contact')
}

/** The line shown instead of rows; null when there are rows. */
export function emptyLeadsText({ q, total, matching, shown }: LeadsListState): string | null {
  if (shown > 0) return null
  // A page past the last one (an old link, a lead archived meanwhile): the search has matches, just not here.
  if (matching > 0) return 'No contacts on this page.'
  if (q) return `No contacts match “${q}”.`
  return total > 0 ? 'No contacts on this page.' : 'No contacts yet — they appear here as soon as the first sync page lands.'
}
