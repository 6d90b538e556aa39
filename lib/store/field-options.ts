import type { FieldOption, ObjectType } from '../crm/types'
import type { Db } from './db'

/** Whether a connection's property definitions for a type were never read, or not in the last `maxAgeHours`. */
export async function portalPropertiesDue(db: Db, connectionId: string, type: ObjectType, maxAgeHours: number): Promise<boolean> {
  const [row] = await db`select coalesce((properties_read_at ->> ${type}::text)::timestamptz < now() - make_interval(hours => ${maxAgeHours}), true) as due
                           from crm_connections where id = ${connectionId}`
  return row?.due === true
}

/**
 * What the last read of a type's property definitions found: its fields' options (replaced;
 * undefined: the type has none to read, left as they are) and the extra properties the CRM
 * no longer has (the type's entry replaced, or removed when none). The other types' stay.
 */
export async function savePortalProperties(db: Db, connectionId: string, type: ObjectType, options: Record<string, FieldOption[]> | undefined,
  missingExtra: string[]): Promise<void> {
  await db`update crm_connections
              set field_options = case when ${options === undefined} then field_options
                                       else coalesce(field_options, '{}'::jsonb) || jsonb_build_object(${type}::text, ${db.json((options ?? {}) as never)}::jsonb) end,
                  extra_properties_missing = case when ${missingExtra.length === 0} then extra_properties_missing - ${type}::text
                                                  else extra_properties_missing || jsonb_build_object(${type}::text, ${db.json(missingExtra as never)}::jsonb) end,
                  properties_read_at = properties_read_at || jsonb_build_object(${type}::text, now())
            where id = ${connectionId}`
}

/** Forgets the types' missing extra properties: their lists were just checked against the CRM and saved. */
export async function clearMissingExtraProperties(db: Db, connectionId: string, types: ObjectType[]): Promise<void> {
  if (types.length === 0) return
  await db`update crm_connections set extra_properties_missing = extra_properties_missing - ${types}::text[] where id = ${connectionId}`
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
