import { z } from 'zod'
import type { Sql } from '../store/db'
import { tenantFieldOptions } from '../store/field-options'
import { insertManualContacts, liveContactsHolding, type NewLead } from '../store/local-writes'
import { CrmError } from './errors'
import { alreadyInApp, duplicateOf } from './lead-duplicates'
import { leadFieldsSchema, normalizeLeadFields, type LeadFields } from './lead-fields'
import type { PortalOptions } from './lead-options'
import { workspacePhoneCountry } from './phone-country'

// Manual import of leads (a JSON array of contacts). Inserted as the app's own manual
// leads: the outbox trigger captures them and the next push creates them in the CRM.

export const MAX_IMPORT = 1000

// Said for any body that is not an array: an empty one reaches here as {} (readJson), and
// zod's own "expected array, received object" then described what the caller never sent.
export const importBodySchema = z.array(leadFieldsSchema, { error: (i) => (i.code === 'invalid_type' ? 'send a JSON array of contacts, such as [{ "email": "ada@example.com" }]' : undefined) })
  .min(1, 'send at least one contact').max(MAX_IMPORT, `at most ${MAX_IMPORT} contacts per import`)

export interface ImportReport {
  imported: number
  /** Already in the app (the same email, or the same phone where the emails do not differ): left alone. */
  skippedExisting: number
  /** The same person as an earlier contact of this import: only the first is imported. */
  skippedDuplicates: number
  ids: string[]
  /** Each contact left out, in request order, with why. */
  skipped: SkippedLead[]
}

export type SkippedLead = {
  /** The contact's index in the request. */
  index: number
  /** What made it the same person (lead-duplicates.ts). */
  field: 'email' | 'phone'
  /** "contact 3: a lead with this phone is already in the app: Grace Hopper" */
  message: string
} & (
  /** `leadId`: the live lead in the app it matched. */
  | { reason: 'existing'; leadId: string }
  /** `duplicateOf`: the index of the earlier contact in this import, the one imported. */
  | { reason: 'duplicate'; duplicateOf: number }
)

function normalizeLead(l: LeadFields, index: number, country: string, options: PortalOptions): NewLead {
  const lead = normalizeLeadFields(l, country, `contact ${index}`, options)
  if (!lead.email && !lead.phone) throw new CrmError('validation', `contact ${index}: needs an email or a phone`)
  return {
    email: lead.email ?? null, phone: lead.phone ?? null, firstName: lead.firstName ?? null, lastName: lead.lastName ?? null,
    jobTitle: lead.jobTitle ?? null, companyName: lead.companyName ?? null, lifecycleStage: lead.lifecycleStage ?? null,
    leadStatus: lead.leadStatus ?? null, description: lead.description ?? null,
  }
}

/** All or nothing: one invalid contact rejects the import with its index, nothing written. */
export async function importLeads(sql: Sql, tenantId: string, leads: LeadFields[]): Promise<ImportReport> {
  const [{ country }, options] = await Promise.all([workspacePhoneCountry(sql, tenantId), tenantFieldOptions(sql, tenantId, 'contact')])
  const normalized = leads.map((l, i) => ({ index: i, ...normalizeLead(l, i, country, options) }))
  // Checked and inserted in one transaction under the tenant's leads lock (taken by
  // liveContactsHolding): simultaneous imports or Add leads of one person make one lead.
  return sql.begin(async (tx) => {
    const existing = await liveContactsHolding(tx, tenantId, {
      emails: [...new Set(normalized.flatMap((l) => (l.email ? [l.email] : [])))],
      phones: [...new Set(normalized.flatMap((l) => (l.phone ? [l.phone] : [])))],
    })
    const kept: typeof normalized = []
    const skipped: SkippedLead[] = []
    for (const lead of normalized) {
      const match = duplicateOf(lead, existing)
      if (match) {
        skipped.push({ index: lead.index, reason: 'existing', field: match.field, leadId: match.other.id, message: `contact ${lead.index}: ${alreadyInApp(match)}` })
        continue
      }
      // The same person twice in this import: the first one counts.
      const twice = duplicateOf(lead, kept)
      if (twice) {
        const message = `contact ${lead.index}: the same ${twice.field} as contact ${twice.other.index} of this import, which is imported`
        skipped.push({ index: lead.index, reason: 'duplicate', field: twice.field, duplicateOf: twice.other.index, message })
        continue
      }
      kept.push(lead)
    }
    const ids = await insertManualContacts(tx, tenantId, kept)
    const skippedDuplicates = skipped.filter((s) => s.reason === 'duplicate').length
    return { imported: ids.length, skippedExisting: skipped.length - skippedDuplicates, skippedDuplicates, ids, skipped }
  })
}
