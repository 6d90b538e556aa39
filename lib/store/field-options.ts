import type { FieldOption, ObjectType } from '../crm/types'
import type { Db } from './db'

/** Whether a connection's field options were never read, or not in the last `maxAgeHours`. */
export async function fieldOptionsDue(db: Db, connectionId: string, maxAgeHours: number): Promise<boolean> {
  const [row] = await db`select field_options_read_at is null or field_options_read_at < now() - make_interval(hours => ${maxAgeHours}) as due
                           from crm_connections where id = ${connectionId}`
  return row?.due === true
}

/** Replaces one object type's options, leaving the other types' as they are. */
export async function saveFieldOptions(db: Db, connectionId: string, type: ObjectType, options: Record<string, FieldOption[]>): Promise<void> {
  await db`update crm_connections
              set field_options = coalesce(field_options, '{}'::jsonb) || jsonb_build_object(${type}::text, ${db.json(options as never)}::jsonb),
                  field_options_read_at = now()
            where id = ${connectionId}`
}

/**
 * The options of a type's fields across a tenant's live connections, as [value, label]
 * pairs per field (hidden ones too: a record may still hold one). Where two connections
 * list the same value, the older connection's label stands.
 */
export async function tenantFieldOptions(db: Db, tenantId: string, type: ObjectType): Promise<Record<string, Array<[string, string]>>> {
  const rows = await db`select field_options -> ${type}::text as options from crm_connections
                         where tenant_id = ${tenantId} and status <> 'disconnected' and field_options ? ${type}::text order by created_at`
  const out: Record<string, Array<[string, string]>> = {}
  for (const r of rows) {
    for (const [field, options] of Object.entries((r.options ?? {}) as Record<string, FieldOption[]>)) {
      const list = (out[field] ??= [])
      for (const o of options) if (!list.some(([v]) => v === o.value)) list.push([o.value, o.label])
    }
  }
  return out
}
