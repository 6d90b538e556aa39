import { portalPropertiesDue, savePortalProperties } from '../../store/field-options'
import type { CrmAdapter } from '../adapters/types'
import { OPTION_FIELDS } from '../lead-options'
import { isCrmError } from '../errors'
import type { ObjectType } from '../types'
import type { PageContext } from './apply-page'

/** The enumerated fields whose labels the dashboard shows, per type. */
const OPTION_FIELDS_OF: Partial<Record<ObjectType, readonly string[]>> = { contact: OPTION_FIELDS }
/** A portal's properties change rarely: read them once a day. */
const MAX_AGE_HOURS = 24

/**
 * Reads what the dashboard needs from the portal's property definitions for one type: the
 * options (value → label) of its enumerated fields, and which of the connection's extra
 * properties the portal no longer has. At most once a day per type, or whenever a person
 * asks for a sync (`always`: Refresh CRM and Force sync set SyncOptions.rereadOptions), so a
 * stage an admin just renamed shows under its new name after a refresh. Only for display: a
 * failure to read them is left for the next run, and never fails the sync, except for the
 * errors that stop every call (an expired or revoked token, the daily limit), which the
 * run's next call would meet anyway.
 */
export async function refreshPortalProperties(ctx: PageContext, adapter: CrmAdapter, always = false): Promise<void> {
  const fields = OPTION_FIELDS_OF[ctx.type] ?? []
  if (ctx.dryRun || (fields.length === 0 && ctx.extraProperties.length === 0)) return
  if (!always && !(await portalPropertiesDue(ctx.sql, ctx.connectionId, ctx.type, MAX_AGE_HOURS))) return
  try {
    const read = await adapter.readPortalProperties(ctx.type, fields)
    await savePortalProperties(ctx.sql, ctx.connectionId, ctx.type, fields.length ? read.options : undefined, read.missingExtra)
  } catch (e) {
    if (isCrmError(e) && (e.type === 'auth_expired' || e.type === 'daily_limit')) throw e
  }
}
