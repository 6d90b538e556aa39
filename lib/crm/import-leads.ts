import { z } from 'zod'
import { env } from '../env'
import type { Sql } from '../store/db'
import { existingContactEmails, insertManualContacts, type NewLead } from '../store/local-writes'
import { CrmError } from './errors'
import { normalizeEmail, normalizeName, normalizeNotes, normalizePhone, normalizeText } from './normalize'

// Manual import of leads (a JSON array of contacts). Inserted as the app's own manual
// leads: the outbox trigger captures them and the next push creates them in the CRM.

export const MAX_IMPORT = 1000

const text = (max: number) => z.string().max(max).nullish()
export const importLeadSchema = z.strictObject({
  email: text(254),
  phone: text(40),
  firstName: text(100),
  lastName: text(100),
  jobTitle: text(200),
  companyName: text(200),
  lifecycleStage: text(64),
  leadStatus: text(64),
  description: text(5000),
})
export const importBodySchema = z.array(importLeadSchema).min(1, 'send at least one contact').max(MAX_IMPORT, `at most ${MAX_IMPORT} contacts per import`)
export type ImportLead = z.infer<typeof importLeadSchema>

export interface ImportReport {
  imported: number
  /** Already in the app (same email): left alone. */
  skippedExisting: number
  ids: string[]
}

function normalizeLead(l: ImportLead, index: number, country: string): NewLead {
  const email = normalizeEmail(l.email)
  const phone = normalizePhone(l.phone, country)
  if (l.email && !email) throw new CrmError('validation', `contact ${index}: email "${l.email.slice(0, 80)}" is not an email address`)
  if (l.phone && !phone) throw new CrmError('validation', `contact ${index}: phone "${l.phone.slice(0, 40)}" is not a phone number`)
  if (!email && !phone) throw new CrmError('validation', `contact ${index}: needs an email or a phone`)
  return {
    email, phone, firstName: normalizeName(l.firstName), lastName: normalizeName(l.lastName), jobTitle: normalizeName(l.jobTitle),
    companyName: normalizeName(l.companyName), lifecycleStage: normalizeText(l.lifecycleStage), leadStatus: normalizeText(l.leadStatus),
    description: normalizeNotes(l.description),
  }
}

/** All or nothing: one invalid contact rejects the import with its index, nothing written. */
export async function importLeads(sql: Sql, tenantId: string, leads: ImportLead[]): Promise<ImportReport> {
  const country = env().SYNC_DEFAULT_PHONE_COUNTRY
  const normalized = leads.map((l, i) => normalizeLead(l, i, country))
  const seen = new Set<string>()
  const unique = normalized.filter((l) => !l.email || (!seen.has(l.email) && !!seen.add(l.email)))
  const existing = await existingContactEmails(sql, tenantId, unique.flatMap((l) => (l.email ? [l.email] : [])))
  const fresh = unique.filter((l) => !l.email || !existing.has(l.email))
  const ids = await insertManualContacts(sql, tenantId, fresh)
  return { imported: ids.length, skippedExisting: leads.length - ids.length, ids }
}
