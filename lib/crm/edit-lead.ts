import { z } from 'zod'
import type { Sql } from '../store/db'
import { updateContact } from '../store/local-writes'
import { CrmError } from './errors'
import { leadFieldsSchema, normalizeLeadFields } from './lead-fields'
import { workspacePhoneCountry } from './phone-country'

// A person's edit of one lead in the dashboard. Written as the app's own edit: the outbox
// trigger captures the changed fields and the next sync (Refresh CRM, the cron) pushes them,
// through the connection's conflict strategy if a rep changed the same field meanwhile.

export const leadPatchSchema = leadFieldsSchema.refine((p) => Object.values(p).some((v) => v !== undefined), 'send at least one field to change')

/** 404 (not found), as for an id that is no lead: a malformed id names no lead either. */
export async function editLead(sql: Sql, tenantId: string, id: string, patch: z.infer<typeof leadPatchSchema>): Promise<void> {
  const fields = normalizeLeadFields(patch, (await workspacePhoneCountry(sql, tenantId)).country)
  const found = z.uuid().safeParse(id).success && (await updateContact(sql, tenantId, id, fields))
  if (!found) throw new CrmError('not_found', 'No such lead (it may have been archived)')
}
