import { fieldOptionsDue, saveFieldOptions } from '../../store/field-options'
import type { CrmAdapter } from '../adapters/types'
import { isCrmError } from '../errors'
import type { ObjectType } from '../types'
import type { PageContext } from './apply-page'

/** The enumerated fields whose labels the dashboard shows, per type. */
export const OPTION_FIELDS: Partial<Record<ObjectType, readonly string[]>> = { contact: ['lifecycleStage', 'leadStatus'] }
/** A portal's options change rarely: read them once a day. */
const MAX_AGE_HOURS = 24

/**
 * Reads the portal's options (value → label) for the type's enumerated fields, at most once
 * a day, or whenever a person asks for a sync (`always`: Refresh CRM and Force sync set SyncOptions.rereadOptions), so a
 * stage an admin just renamed shows under its new name after a refresh. Labels are only for display: a failure to read them is left for the next run, and
 * never fails the sync, except for the errors that stop every call (an expired or revoked
 * token, the daily limit), which the run's next call would meet anyway.
 */
export async function refreshFieldOptions(ctx: PageContext, adapter: CrmAdapter, always = false): Promise<void> {
  const fields = OPTION_FIELDS[ctx.type]
  if (!fields || ctx.dryRun || !(always || (await fieldOptionsDue(ctx.sql, ctx.connectionId, MAX_AGE_HOURS)))) return
  try {
    await saveFieldOptions(ctx.sql, ctx.connectionId, ctx.type, await adapter.readFieldOptions(ctx.type, fields))
  } catch (e) {
    if (isCrmError(e) && (e.type === 'auth_expired' || e.type === 'daily_limit')) throw e
  }
}
