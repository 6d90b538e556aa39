import type { Db } from './db'

// The webhook inbox (webhook_events) and the connection's webhook counters.

/** After this many failed attempts an event stops being retried; the status shows it as failed. */
export const MAX_WEBHOOK_ATTEMPTS = 5

export interface WebhookTarget {
  connectionId: string
  tenantId: string
  disabled: boolean
}

/** Every live connection of a CRM account, with whether webhooks were turned off for it. */
export async function findWebhookTargets(db: Db, provider: string, portalId: string): Promise<WebhookTarget[]> {
  const rows = await db`select id, tenant_id, webhooks_disabled_at from crm_connections
                         where provider = ${provider} and portal_id = ${portalId} and status <> 'disconnected'`
  return rows.map((r) => ({ connectionId: r.id, tenantId: r.tenant_id, disabled: r.webhooks_disabled_at !== null }))
}

export interface NewWebhookEvent {
  eventKey: string
  subscriptionType: string
  objectType: string | null
  objectId: string | null
  occurredAt: Date
  payload: unknown
}

/**
 * One statement: the events (a redelivered key is a no-op) and the connection's counters.
 * Returns how many events were new.
 */
export async function storeWebhookEvents(db: Db, target: WebhookTarget, events: NewWebhookEvent[]): Promise<number> {
  const rows = events.map((e) => ({
    tenant_id: target.tenantId, connection_id: target.connectionId, event_key: e.eventKey,
    subscription_type: e.subscriptionType, object_type: e.objectType, object_id: e.objectId,
    occurred_at: e.occurredAt, payload: e.payload,
  }))
  const [row] = await db`
    with ins as (
      insert into webhook_events ${db(rows as never, 'tenant_id', 'connection_id', 'event_key', 'subscription_type', 'object_type', 'object_id', 'occurred_at', 'payload')}
      on conflict (connection_id, event_key) do nothing
      returning 1
    ), n as (select count(*)::int as inserted from ins)
    update crm_connections set webhook_total_received = webhook_total_received + n.inserted, webhook_last_received_at = now()
      from n where id = ${target.connectionId}
    returning n.inserted`
  return row ? Number(row.inserted) : 0
}

export interface StoredWebhookEvent {
  id: number
  subscriptionType: string
  objectType: string | null
  objectId: string | null
  occurredAt: Date
  payload: Record<string, unknown>
  attempts: number
}

/** Unprocessed events still worth trying, oldest first, after `afterId`. Call with the connection's lease held. */
export async function loadPendingEvents(db: Db, connectionId: string, limit: number, afterId = 0): Promise<StoredWebhookEvent[]> {
  const rows = await db`
    select id, subscription_type, object_type, object_id, occurred_at, payload, attempts from webhook_events
     where connection_id = ${connectionId} and processed_at is null and attempts < ${MAX_WEBHOOK_ATTEMPTS} and id > ${afterId}
     order by id limit ${limit}`
  return rows.map((r) => ({
    id: Number(r.id), subscriptionType: r.subscription_type, objectType: r.object_type, objectId: r.object_id,
    occurredAt: r.occurred_at, payload: r.payload, attempts: r.attempts,
  }))
}

export async function hasPendingEvents(db: Db, connectionId: string, afterId = 0): Promise<boolean> {
  const [row] = await db`select exists (select 1 from webhook_events where connection_id = ${connectionId}
                          and processed_at is null and attempts < ${MAX_WEBHOOK_ATTEMPTS} and id > ${afterId}) as pending`
  return row.pending
}

export async function markEventsProcessed(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await db`update webhook_events set processed_at = now(), error = null where id = any(${ids}::bigint[])`
}

export async function markEventsFailed(db: Db, ids: number[], error: string): Promise<void> {
  if (ids.length === 0) return
  await db`update webhook_events set attempts = attempts + 1, error = ${error.slice(0, 1000)} where id = any(${ids}::bigint[])`
}

export interface WebhookStatus {
  enabled: boolean
  totalReceived: number
  lastReceivedAt: Date | null
  pending: number
  failed: number
}

export async function getWebhookStatus(db: Db, connectionId: string): Promise<WebhookStatus | undefined> {
  const [row] = await db`
    select c.webhooks_enabled, c.webhook_total_received, c.webhook_last_received_at,
      (select count(*)::int from webhook_events e where e.connection_id = c.id and e.processed_at is null and e.attempts < ${MAX_WEBHOOK_ATTEMPTS}) as pending,
      (select count(*)::int from webhook_events e where e.connection_id = c.id and e.processed_at is null and e.attempts >= ${MAX_WEBHOOK_ATTEMPTS}) as failed
      from crm_connections c where c.id = ${connectionId}`
  if (!row) return undefined
  return {
    enabled: row.webhooks_enabled, totalReceived: Number(row.webhook_total_received), lastReceivedAt: row.webhook_last_received_at,
    pending: row.pending, failed: row.failed,
  }
}

export async function setWebhooksEnabled(db: Db, connectionId: string, enabled: boolean): Promise<void> {
  await db`update crm_connections set webhooks_enabled = ${enabled},
            webhooks_disabled_at = ${enabled ? null : db`now()`} where id = ${connectionId}`
}
