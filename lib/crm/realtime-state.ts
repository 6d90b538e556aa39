// What the card's real-time line says, and whether real-time is on for GET
// /api/v1/crm-integration/:id/webhook-status (webhooks/status-view.ts): one pure rule, tested by
// table (realtime-state.test.ts), so the API and the dashboard cannot disagree.

export type RealtimeState = 'on' | 'waiting' | 'not_set_up' | 'off'

export interface RealtimeFacts {
  /** Turned on here ("Turn on": the app's subscriptions registered where Syncline can). */
  enabled: boolean
  /** Deliveries for the connection are taken (real-time not turned off for it). */
  accepting: boolean
  totalReceived: number
  /** The app can verify HubSpot's signatures (HUBSPOT_CLIENT_SECRET is set); without it every delivery is refused (503). */
  verifiable: boolean
}

/**
 * on: events arrive. waiting: the connection takes deliveries and the app can verify them,
 * but none came yet: a new connection is in this state (real-time is on by default, and
 * HubSpot's subscriptions belong to the app, not the connection), which said "not set up"
 * until the first event, though the sandbox (and an app subscribed in HubSpot's developer
 * portal) delivers from the start. not_set_up: no delivery could be verified. off: turned
 * off here.
 */
export function realtimeState(w: RealtimeFacts): RealtimeState {
  if (!w.accepting) return 'off'
  if (!w.verifiable) return 'not_set_up'
  return w.totalReceived > 0 ? 'on' : 'waiting'
}

/** Real-time is on: deliveries are taken and can be verified (whether or not one came yet). The card's toggle shows this. */
export function realtimeOn(w: RealtimeFacts): boolean {
  const state = realtimeState(w)
  return state === 'on' || state === 'waiting'
}

export const REALTIME_LABEL: Record<RealtimeState, string> = {
  on: 'Real-time updates on',
  waiting: 'Real-time updates on, waiting for the first event',
  not_set_up: 'Real-time updates not set up (HUBSPOT_CLIENT_SECRET is not set, so HubSpot\u2019s deliveries cannot be verified)',
  off: 'Real-time updates off',
}
