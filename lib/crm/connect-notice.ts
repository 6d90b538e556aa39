import { createHmac } from 'node:crypto'
import { deriveSecret, sameSecret } from '../secrets'

// Why connecting failed reaches the dashboard's banner in the URL the OAuth callback sends
// the browser home to (/?connect_error=…), so anyone could link to the dashboard with words of
// their own there ("Your HubSpot access was revoked: call …"), shown in the app's own banner.
// The callback signs what it says; the page shows a message only with its signature, and
// otherwise its own fixed words.

/** The query parameters the callback sends home with: the message and its signature. */
export function signedNotice(message: string): { connect_error: string; connect_error_sig: string } {
  return { connect_error: message, connect_error_sig: sign(message) }
}

/** What an unsigned or altered message shows instead: our words, never the link's. */
export const UNVERIFIED_NOTICE = 'Connecting the CRM did not finish. Start again with the Connect button.'

/** The banner's text for the page's query: the message when its signature holds; else UNVERIFIED_NOTICE; null with no message. */
export function noticeToShow(message: unknown, signature: unknown): string | null {
  if (typeof message !== 'string' || message === '') return null
  if (typeof signature !== 'string') return UNVERIFIED_NOTICE
  return sameSecret(sign(message), signature) ? message : UNVERIFIED_NOTICE
}

const sign = (message: string) => createHmac('sha256', deriveSecret('connect-notice')).update(message).digest('base64url')
