import { z } from 'zod'
import type { Sql } from '../store/db'
import { tenantFieldOptions } from '../store/field-options'
import { liveContactsHolding, updateContact } from '../store/local-writes'
import { CrmError } from './errors'
import { alreadyInApp, duplicateOf } from './lead-duplicates'
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
 * an email or phone the edit gives makes it no other live lead's duplicate (409 naming that
 * lead; lead-duplicates.ts: a shared phone counts unless the two emails differ). Both are
 * checked on the row as written, in the write's transaction, so the stored fields the patch
 * leaves alone count (the stored email decides whether a given phone is another's); a
 * refused edit is rolled back, outbox entry and all. Values the edit does not give are not
 * checked: two HubSpot contacts sharing a phone still take other edits.
 */
export async function editLead(sql: Sql, tenantId: string, id: string, patch: z.infer<typeof leadPatchSchema>): Promise<void> {
  const [{ country }, options] = await Promise.all([workspacePhoneCountry(sql, tenantId), tenantFieldOptions(sql, tenantId, 'contact')])
  const fields = normalizeLeadFields(patch, country, undefined, options)
  if (!z.uuid().safeParse(id).success) throw noSuchLead()
  await sql.begin(async (tx) => {
    const written = await updateContact(tx, tenantId, id, fields)
    if (!written) throw noSuchLead()
    if (!written.email && !written.phone) throw new CrmError('validation', 'A lead needs an email or a phone: this change would leave it with neither')
    const check = { email: !!fields.email, phone: !!fields.phone }
    if (!check.email && !check.phone) return
    const lead = { email: written.email?.toLowerCase() ?? null, phone: written.phone }
    const others = await liveContactsHolding(tx, tenantId, {
      emails: check.email && lead.email ? [lead.email] : [], phones: check.phone && lead.phone ? [lead.phone] : [],
    }, id)
    const match = duplicateOf(lead, others, check)
    if (match) {
      const message = alreadyInApp(match)
      throw new CrmError('conflict', message[0].toUpperCase() + message.slice(1))
    }
  })
}
