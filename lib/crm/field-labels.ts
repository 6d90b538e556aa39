// The names a person sees for the app's fields (camelCase in code): the lead form's, the
// conflicts queue's, which also shows companies' and deals' fields, and the lead routes'
// refusals ("First name: at most 100 characters"), so here in lib/ rather than components/.
const LABELS: Record<string, string> = {
  email: 'Email', phone: 'Phone', firstName: 'First name', lastName: 'Last name', jobTitle: 'Job title',
  companyName: 'Company', lifecycleStage: 'Lifecycle stage', leadStatus: 'Lead status',
  ownerRemoteId: 'Owner', lastActivityAt: 'Last activity', closeDate: 'Close date', leadSourceSystem: 'Lead source',
}

/** A field's label; one without its own is its name in plain words ("dealStage" → "Deal stage"). */
export function fieldLabel(field: string): string {
  if (LABELS[field]) return LABELS[field]
  const words = field.replace(/^@/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
