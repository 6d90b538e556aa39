export type Tier = 'free' | 'pro' | 'enterprise' | 'off'

/** Settings the control API may change at runtime (`PATCH /_sandbox/config`). */
export interface SandboxConfig {
  tier: Tier
  /** How long a write takes to reach search. */
  searchIndexLagMs: number
  // https://developers.hubspot.com/docs/api/crm/search#limitations — 5 groups, 6 per group,
  // 18 in total; the Aug 2024 changelog raised it to 5/10/25, hence configurable.
  searchMaxFilterGroups: number
  searchMaxFiltersPerGroup: number
  searchMaxFilters: number
  /** Webhook target timeout; HubSpot gives up on a delivery after 5 s. */
  webhookTimeoutMs: number
  /** Delay before retry n (last value repeats). HubSpot spreads 10 retries over 24 h. */
  webhookRetryDelaysMs: number[]
  webhookMaxRetries: number
  /** Collects events for this long before sending a batch. */
  webhookBatchDelayMs: number
  accessTokenTtlSeconds: number
  /**
   * Contact and company merges make a new record (a new id) that both are merged into, as
   * HubSpot does since its 2024 change (on by default); off, the primary keeps its id (the old
   * way, and still the way for deals and other objects).
   * https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
   */
  mergeNewId: boolean
}

export const DEFAULT_CONFIG: SandboxConfig = {
  tier: 'pro',
  searchIndexLagMs: 3000,
  searchMaxFilterGroups: 5,
  searchMaxFiltersPerGroup: 6,
  searchMaxFilters: 18,
  webhookTimeoutMs: 5000,
  webhookRetryDelaysMs: [1000, 2000, 5000, 10000, 30000],
  webhookMaxRetries: 10,
  webhookBatchDelayMs: 50,
  accessTokenTtlSeconds: 1800,
  mergeNewId: true,
}
