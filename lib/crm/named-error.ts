import { missingColumns } from '../store/app-schema'
import type { Db } from '../store/db'
import { CrmError, isCrmError, schemaChanged, schemaErrorOf } from './errors'
import type { SyncObjectType } from './types'

/**
 * The failure a sync of `type` meets before it starts, when the app's table lacks a column the
 * sync needs (a mapped column renamed or dropped), else null. Told by the catalog, so a run or
 * a webhook drain fails at once, calling HubSpot not at all: a schema that stays broken costs
 * each retry (every cron tick and webhook drain) one query, and the first retry after the
 * app's fix goes through, which no backoff could beat.
 */
export async function schemaFailureNow(db: Db, type: SyncObjectType): Promise<CrmError | null> {
  if (type === 'owner') return null
  const missing = await missingColumns(db, [type])
  if (missing.length === 0) return null
  return schemaChanged({ code: '42703', message: `${missing.join(', ')} missing` }, missing)
}

/**
 * A failure as the taxonomy names it. A Postgres error saying the app's tables changed (a
 * mapped column renamed or dropped) is `schema`, naming what is missing: permanent until the
 * app fixes it. Anything else unnamed is transient.
 */
export async function namedError(db: Db, type: SyncObjectType, e: unknown): Promise<CrmError> {
  if (isCrmError(e)) return e
  const pg = schemaErrorOf(e)
  if (!pg) return new CrmError('transient', e instanceof Error ? e.message : String(e), { cause: e })
  // This type's table first (its statements failed); else what it joins (owners, companies).
  const own = type === 'owner' ? [] : await missingColumns(db, [type]).catch(() => [])
  const missing = own.length ? own : await missingColumns(db).catch(() => [])
  return schemaChanged(pg, missing, e)
}
