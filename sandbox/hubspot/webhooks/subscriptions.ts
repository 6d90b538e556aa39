/** Per-app webhook settings and subscriptions, as the v3 management API exposes them. */
export interface WebhookSettings {
  targetUrl: string
  throttling: { maxConcurrentRequests: number; period?: string }
  createdAt: number
  updatedAt: number
}

export interface Subscription {
  id: number
  eventType: string
  propertyName?: string
  active: boolean
  createdAt: number
  updatedAt: number
}

export interface AppWebhooks {
  settings?: WebhookSettings
  subscriptions: Subscription[]
}

export const subscriptionJson = (s: Subscription): Record<string, unknown> => ({
  id: String(s.id), eventType: s.eventType, ...(s.propertyName ? { propertyName: s.propertyName } : {}), active: s.active,
  createdAt: new Date(s.createdAt).toISOString(), updatedAt: new Date(s.updatedAt).toISOString(),
})

export const settingsJson = (s: WebhookSettings): Record<string, unknown> => ({
  targetUrl: s.targetUrl, throttling: s.throttling, createdAt: new Date(s.createdAt).toISOString(), updatedAt: new Date(s.updatedAt).toISOString(),
})

/** What Syncline maps, so a sandbox started with --webhook-url hears about exactly those changes. */
export const SYNCED_PROPERTIES: Record<'contact' | 'company' | 'deal', string[]> = {
  contact: ['email', 'firstname', 'lastname', 'phone', 'mobilephone', 'company', 'jobtitle', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id'],
  company: ['name', 'domain', 'phone', 'industry', 'city', 'country', 'hubspot_owner_id', 'description'],
  deal: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'hubspot_owner_id', 'description'],
}

// Event types the v3 API accepts for the CRM objects the sandbox emulates.
export const EVENT_TYPES = new Set(
  (['contact', 'company', 'deal'] as const).flatMap((o) =>
    ['creation', 'deletion', 'propertyChange', 'merge', 'associationChange', 'restore', ...(o === 'contact' ? ['privacyDeletion'] : [])].map((k) => `${o}.${k}`),
  ),
)
