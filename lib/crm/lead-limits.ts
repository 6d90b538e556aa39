// The most characters each lead field takes: the server's schema (lead-fields.ts) refuses
// more, and the lead form's inputs carry the same maxLength, so a person cannot type past
// what the server would refuse. No imports: the form (a client component) reads it too.
export const LEAD_MAX_LENGTH = {
  email: 254, // RFC 5321's path limit
  phone: 40,
  firstName: 100,
  lastName: 100,
  jobTitle: 200,
  companyName: 200,
  lifecycleStage: 64,
  leadStatus: 64,
  description: 5000,
} as const
