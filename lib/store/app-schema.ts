import type { ObjectType } from '../crm/types'
import { COLUMN_OF, TABLE } from './columns'
import type { Db } from './db'

// What the sync's statements need of the app's tables, beside the mapped columns: the
// bookkeeping columns records.ts reads and writes.
const BOOKKEEPING = ['id', 'tenant_id', 'source', 'created_at', 'updated_at', 'archived_at', 'owner_id', 'owner_email', 'crm_properties']

/** Every column the sync reads or writes in `type`'s table. */
export function requiredColumns(type: ObjectType): string[] {
  return [...BOOKKEEPING, ...(type === 'company' ? [] : ['company_id']), ...Object.values(COLUMN_OF[type]).map((c) => c.column)]
}

/** The columns `type`'s table has now (none: the table is gone). */
export async function tableColumns(db: Db, type: ObjectType): Promise<Set<string>> {
  const rows = await db`select a.attname from pg_attribute a
                         where a.attrelid = to_regclass(${`public.${TABLE[type]}`}) and a.attnum > 0 and not a.attisdropped`
  return new Set(rows.map((r) => r.attname as string))
}

/** The app's tables and columns the sync needs and cannot find: `contacts.job_title`, or `contacts` for a whole table. */
export async function missingColumns(db: Db, types: ObjectType[] = Object.keys(TABLE) as ObjectType[]): Promise<string[]> {
  const out: string[] = []
  for (const type of types) {
    const have = await tableColumns(db, type)
    if (have.size === 0) out.push(TABLE[type])
    else out.push(...requiredColumns(type).filter((c) => !have.has(c)).map((c) => `${TABLE[type]}.${c}`))
  }
  return out
}
