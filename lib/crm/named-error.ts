import { missingColumns } from '../store/app-schema'
import type { Db } from '../store/db'
import { CrmError, isCrmError, schemaChanged, schemaErrorOf } from './errors'
import type { SyncObjectType } from './types'

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
