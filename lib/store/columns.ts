import type { ObjectType } from '../crm/types'

// Canonical field → column of the app's tables. ownerRemoteId is not a column: it is
// resolved to owner_id / owner_email through the owners table.
export const TABLE: Record<ObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' }

export const COLUMN_OF: Record<ObjectType, Record<string, { column: string; type: string }>> = {
  contact: {
    email: { column: 'email', type: 'text' },
    phone: { column: 'phone', type: 'text' },
    firstName: { column: 'first_name', type: 'text' },
    lastName: { column: 'last_name', type: 'text' },
    jobTitle: { column: 'job_title', type: 'text' },
    companyName: { column: 'company_name', type: 'text' },
    lifecycleStage: { column: 'lifecycle_stage', type: 'text' },
    leadStatus: { column: 'lead_status', type: 'text' },
    description: { column: 'description', type: 'text' },
    lastActivityAt: { column: 'last_activity_at', type: 'timestamptz' },
    leadSourceSystem: { column: 'lead_source_system', type: 'text' },
  },
  company: {
    name: { column: 'name', type: 'text' },
    domain: { column: 'domain', type: 'text' },
    phone: { column: 'phone', type: 'text' },
    industry: { column: 'industry', type: 'text' },
    city: { column: 'city', type: 'text' },
    country: { column: 'country', type: 'text' },
    description: { column: 'description', type: 'text' },
    lastActivityAt: { column: 'last_activity_at', type: 'timestamptz' },
  },
  deal: {
    name: { column: 'name', type: 'text' },
    amount: { column: 'amount', type: 'numeric' },
    stage: { column: 'stage', type: 'text' },
    pipeline: { column: 'pipeline', type: 'text' },
    closeDate: { column: 'close_date', type: 'timestamptz' },
    description: { column: 'description', type: 'text' },
    lastActivityAt: { column: 'last_activity_at', type: 'timestamptz' },
  },
}

/** Column name for a canonical field (owner_id for ownerRemoteId; an unmapped name as it is): fieldOfColumn's inverse. */
export function columnOfField(type: ObjectType, field: string): string {
  return field === 'ownerRemoteId' ? 'owner_id' : COLUMN_OF[type][field]?.column ?? field
}

/** Canonical field for a column name, for the outbox's changed_fields. */
export function fieldOfColumn(type: ObjectType, column: string): string | undefined {
  if (column === 'owner_id') return 'ownerRemoteId'
  for (const [field, c] of Object.entries(COLUMN_OF[type])) if (c.column === column) return field
  return undefined
}
