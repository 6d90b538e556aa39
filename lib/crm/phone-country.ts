import { env } from '../env'
import { listConnections } from '../store/connections'
import type { Sql } from '../store/db'
import { parseSettings } from './settings'

// Which country a phone written without one (+44…) belongs to, for the app's own leads.
// A lead belongs to the workspace, not to one connection, so the connections' "country for
// phone numbers" applies only when they agree; the pull's own fallback applies otherwise.

export interface PhoneCountry {
  /** ISO 3166 alpha-2, upper case. */
  country: string
  /** Where it came from: every connection that sets one agrees, or none sets one, or they disagree. */
  from: 'connections' | 'default' | 'disagreement'
  /** The distinct countries the connections set, sorted: more than one when they disagree. */
  connectionCountries: string[]
}

/** Pure: the workspace's country from its connections' settings and the environment's fallback. */
export function choosePhoneCountry(connectionCountries: ReadonlyArray<string | null | undefined>, fallback: string): PhoneCountry {
  const distinct = [...new Set(connectionCountries.filter((c): c is string => !!c).map((c) => c.toUpperCase()))].sort()
  if (distinct.length === 1) return { country: distinct[0], from: 'connections', connectionCountries: distinct }
  return { country: fallback.toUpperCase(), from: distinct.length === 0 ? 'default' : 'disagreement', connectionCountries: distinct }
}

/** The workspace's phone country from its connections' countries, with SYNC_DEFAULT_PHONE_COUNTRY as the fallback. */
export function phoneCountryOf(connectionCountries: ReadonlyArray<string | null | undefined>): PhoneCountry {
  return choosePhoneCountry(connectionCountries, env().SYNC_DEFAULT_PHONE_COUNTRY)
}

/** The workspace's phone country, read from its connections' settings. */
export async function workspacePhoneCountry(sql: Sql, tenantId: string): Promise<PhoneCountry> {
  return phoneCountryOf((await listConnections(sql, tenantId)).map((c) => parseSettings(c.settings).defaultCountry))
}
