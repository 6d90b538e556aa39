import { env } from '../../env'
import type { WebhookStatus } from '../../store/webhook-events'
import { realtimeOn, realtimeState, type RealtimeState } from '../realtime-state'

// What /api/v1/crm-integration/:id/{webhook-status,enable-webhooks,disable-webhooks,retry-webhooks}
// answer about real-time: `enabled` by the dashboard card's rule (realtime-state.ts). It was the
// stored webhooks_enabled, false on a new connection until someone pressed Turn on, while the
// card said "Real-time updates on" and events were applied: an API user read real-time as off.

/** HubSpot's deliveries can be verified (HUBSPOT_CLIENT_SECRET is set); without it each is refused (503). */
export const webhooksVerifiable = (): boolean => !!env().HUBSPOT_CLIENT_SECRET

export interface WebhookStatusView {
  /** Real-time is on: deliveries are taken and can be verified (the card says "Real-time updates on"). */
  enabled: boolean
  /** The card's line: on, waiting (for the first event), not_set_up (no HUBSPOT_CLIENT_SECRET), off. */
  state: RealtimeState
  /**
   * The stored webhooks_enabled: true once enable-webhooks (the card's Turn on) registered the
   * subscriptions, until disable-webhooks. Real-time needs no Turn on: this is not `enabled`.
   */
  turnedOnHere: boolean
  accepting: boolean
  verifiable: boolean
  totalReceived: number
  lastReceivedAt: Date | null
  pending: number
  failed: number
}

export function webhookStatusView(s: WebhookStatus, verifiable = webhooksVerifiable()): WebhookStatusView {
  const facts = { ...s, verifiable }
  return {
    enabled: realtimeOn(facts), state: realtimeState(facts), turnedOnHere: s.enabled, accepting: s.accepting, verifiable,
    totalReceived: s.totalReceived, lastReceivedAt: s.lastReceivedAt, pending: s.pending, failed: s.failed,
  }
}
