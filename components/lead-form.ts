import type { PhoneCountry } from '@/lib/crm/phone-country'

// What the lead form says, as pure functions: the dialog is a client component, tested in
// the browser pass; these are tested by table.

/**
 * The import's message for the one contact Add lead sends, as a person adding one lead reads
 * it: without the import's row ("contact 0: …") or the body path ("0.email: …").
 */
export function singleLeadError(message: string): string {
  return message.replace(ROW, (_m, start: string, first: string) => start + first.toUpperCase()).replace(BODY_PATH, '$1')
}
// Each of its problems is led by the row ("contact 0: Email: …; contact 0: Phone: …").
const ROW = /(^|; )contact 0: (.)/g
const BODY_PATH = /(^|; )0\./g

/**
 * Where an edit goes. A connection set to HubSpot → app only never pushes: it keeps the
 * app's edits, held, and sends them once it is set to both ways again, unless HubSpot's
 * change to the field is synced first (migration 20261202025000_outbox_remembers_pull_only).
 * A disconnected connection is left out.
 */
export function pushNote(connections: ReadonlyArray<{ status: string; settings: { direction: string } }>,
  disconnected: { direction: string } | null = null): string {
  const live = connections.filter((c) => c.status !== 'disconnected')
  // None in use, one disconnected (StatusPayload.disconnected): no sync runs until it is connected again.
  if (live.length === 0 && disconnected) {
    return disconnected.direction === 'pull'
      ? 'The connection is disconnected, and it synced HubSpot → app only: the change stays in the app.'
      : 'The connection is disconnected: the change stays in the app, and is sent to HubSpot once the same HubSpot portal is connected again (Connect CRM).'
  }
  // Never connected: nothing is queued for a CRM that is not there (the outbox trigger queues
  // per connection). The first sync links manual leads by email or phone and creates none of
  // the rest in HubSpot (only --push-unlinked does, lib/crm/push-unlinked.ts).
  if (live.length === 0) return NEVER_CONNECTED
  const pullOnly = live.filter((c) => c.settings.direction === 'pull').length
  if (live.length > 0 && pullOnly === live.length) {
    return 'This connection syncs HubSpot → app only: the change stays in the app, and is sent to HubSpot at the first sync once the connection is set to both ways (unless a sync brings HubSpot’s change to the field first).'
  }
  const sent = 'Sent to HubSpot with the next sync (Refresh CRM, or the scheduled one)'
  return pullOnly > 0 ? `${sent}, except by connections set to HubSpot → app only, which keep it until they are set to both ways.` : `${sent}.`
}

const NEVER_CONNECTED = 'No CRM is connected: the lead is saved in the app only. Once you connect HubSpot, its first sync links it to the contact with the same email or phone; a lead without a match stays in the app.'

/**
 * How a phone without a +country code will be read, said before the person saves it. The
 * fallback is the app's default (SYNC_DEFAULT_PHONE_COUNTRY, the README's): the form said the
 * variable's name, which means nothing to a person adding a lead.
 */
export function phoneHint({ country, from, connectionCountries }: PhoneCountry): string {
  const read = `A phone without a +country code is read as a ${country} number`
  if (from === 'connections') return `${read} (the connection's country for phone numbers).`
  if (from === 'default') return `${read} (the app's default; a connection's Sync settings can set another).`
  return `Your connections set different countries for phone numbers (${connectionCountries.join(', ')}), so a phone without a +country code is read as a ${country} number (the app's default). Write the + code to be sure.`
}
