import { z } from 'zod'
import type { Sql } from '../store/db'
import { tenantFieldOptions } from '../store/field-options'
import { existingContactEmails, updateContact } from '../store/local-writes'
import { CrmError } from './errors'
import { leadFieldsSchema, normalizeLeadFields } from './lead-fields'
import { workspacePhoneCountry } from './phone-country'

// A person's edit of one lead in the dashboard. Written as the app's own edit: the outbox
// trigger captures the changed fields and the next sync (Refresh CRM, the cron) pushes them,
// through the connection's conflict strategy if a rep changed the same field meanwhile.

export const leadPatchSchema = leadFieldsSchema.refine((p) => Object.values(p).some((v) => v !== undefined), 'send at least one field to change')

const noSuchLead = () => new CrmError('not_found', 'No such lead (it may have been archived)')

/**
 * 404 (not found), as for an id that is no lead: a malformed id names no lead either. The
 * rules Add lead keeps hold for an edit too: the lead keeps an email or a phone (400), and
 * its email is no other live lead's (409). Both are checked on the row as written, in the
 * write's transaction, so the stored fields the patch leaves alone count; a refused edit
 * is rolled back, outbox entry and all.
 */
export async function editLead(sql: Sql, tenantId: string, id: string, patch: z.infer<typeof leadPatchSchema>): Promise<void> {
  const [{ country }, options] = await Promise.all([workspacePhoneCountry(sql, tenantId), tenantFieldOptions(sql, tenantId, 'contact')])
  const fields = normalizeLeadFields(patch, country, undefined, options)
  if (!z.uuid().safeParse(id).success) throw noSuchLead()
  await sql.begin(async (tx) => {
    const written = await updateContact(tx, tenantId, id, fields)
    if (!written) throw noSuchLead()
    if (!written.email && !written.phone) throw new CrmError('validation', 'A lead needs an email or a phone: this change would leave it with neither')
    if (fields.email && (await existingContactEmails(tx, tenantId, [fields.email], id)).size > 0) {
      throw new CrmError('conflict', 'A lead with this email is already in the app')
    }
  })
}
