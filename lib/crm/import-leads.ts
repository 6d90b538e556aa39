import { z } from 'zod'
import type { Sql } from '../store/db'
import { tenantFieldOptions } from '../store/field-options'
import { existingContactEmails, insertManualContacts, type NewLead } from '../store/local-writes'
import { CrmError } from './errors'
import { leadFieldsSchema, normalizeLeadFields, type LeadFields } from './lead-fields'
import type { PortalOptions } from './lead-options'
import { workspacePhoneCountry } from './phone-country'

// Manual import of leads (a JSON array of contacts). Inserted as the app's own manual
// leads: the outbox trigger captures them and the next push creates them in the CRM.

export const MAX_IMPORT = 1000

export const importBodySchema = z.array(leadFieldsSchema).min(1, 'send at least one contact').max(MAX_IMPORT, `at most ${MAX_IMPORT} contacts per import`)

export interface ImportReport {
  imported: number
  /** Already in the app (same email): left alone. */
  skippedExisting: number
  ids: string[]
}

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
  const normalized = leads.map((l, i) => normalizeLead(l, i, country, options))
  const seen = new Set<string>()
  const unique = normalized.filter((l) => !l.email || (!seen.has(l.email) && !!seen.add(l.email)))
  // Checked and inserted in one transaction under the tenant's leads lock (taken by
  // existingContactEmails): simultaneous imports or Add leads of one email make one lead.
  const ids = await sql.begin(async (tx) => {
    const existing = await existingContactEmails(tx, tenantId, unique.flatMap((l) => (l.email ? [l.email] : [])))
    return insertManualContacts(tx, tenantId, unique.filter((l) => !l.email || !existing.has(l.email)))
  })
  return { imported: ids.length, skippedExisting: leads.length - ids.length, ids }
}
