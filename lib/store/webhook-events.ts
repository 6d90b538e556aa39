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

export interface Delivery {
  target: WebhookTarget
  events: NewWebhookEvent[]
}

/**
 * The ack path: one row per delivery, whatever its size, and several deliveries in one
 * statement (see the webhook_deliveries migration). Deduplication happens when the
 * processor expands them.
 */
export async function storeDeliveries(db: Db, deliveries: Delivery[]): Promise<void> {
  if (deliveries.length === 0) return
  // One parameter per delivery: postgres.js escapes array parameters character by
  // character, which cost more than the insert itself for 100-event bodies.
  const rows = deliveries.map((d) => ({
    tenant_id: d.target.tenantId, connection_id: d.target.connectionId, event_count: d.events.length,
    events: JSON.stringify(d.events.map((e) => ({ k: e.eventKey, t: e.subscriptionType, o: e.objectType, i: e.objectId, at: e.occurredAt.getTime(), p: e.payload }))),
  }))
  await db`insert into webhook_deliveries ${db(rows, 'tenant_id', 'connection_id', 'event_count', 'events')}`
}

/**
 * Moves a connection's deliveries into webhook_events in one statement (a redelivered
 * event key is a no-op) and counts the new events on the connection.
 * Safe to run concurrently: each delivery row is taken by one caller.
 */
export async function expandDeliveries(db: Db, connectionId: string, limit = 500): Promise<{ deliveries: number; inserted: number }> {
  const [row] = await db`
    with d as (
      delete from webhook_deliveries where id in (
        select id from webhook_deliveries where connection_id = ${connectionId} order by id limit ${limit} for update skip locked)
      returning tenant_id, connection_id, events, received_at
    ), ins as (
      insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, received_at)
      select d.tenant_id, d.connection_id, e->>'k', e->>'t', e->>'o', e->>'i', to_timestamp((e->>'at')::bigint / 1000.0), e->'p', d.received_at
        from d cross join lateral jsonb_array_elements(d.events::jsonb) with ordinality as x(e, n)
       order by d.received_at, x.n
      on conflict (connection_id, event_key) do nothing
      returning 1
    ), n as (select (select count(*)::int from ins) as inserted, (select count(*)::int from d) as deliveries, (select max(received_at) from d) as last_at)
    update crm_connections c set webhook_total_received = c.webhook_total_received + n.inserted,
           webhook_last_received_at = greatest(c.webhook_last_received_at, n.last_at)
      from n where c.id = ${connectionId} and n.last_at is not null
    returning n.inserted, n.deliveries`
  return row ? { deliveries: row.deliveries, inserted: row.inserted } : { deliveries: 0, inserted: 0 }
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
                          and processed_at is null and attempts < ${MAX_WEBHOOK_ATTEMPTS} and id > ${afterId})
                          or exists (select 1 from webhook_deliveries where connection_id = ${connectionId}) as pending`
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
  /** Deliveries are accepted (not switched off with disable-webhooks). */
  accepting: boolean
  totalReceived: number
  lastReceivedAt: Date | null
  pending: number
  failed: number
}

export async function getWebhookStatus(db: Db, connectionId: string): Promise<WebhookStatus | undefined> {
  const [row] = await db`
    select c.webhooks_enabled, c.webhooks_disabled_at is null as accepting, c.webhook_total_received, c.webhook_last_received_at,
      (select count(*)::int from webhook_events e where e.connection_id = c.id and e.processed_at is null and e.attempts < ${MAX_WEBHOOK_ATTEMPTS})
        + (select coalesce(sum(event_count), 0)::int from webhook_deliveries d where d.connection_id = c.id) as pending,
      (select count(*)::int from webhook_events e where e.connection_id = c.id and e.processed_at is null and e.attempts >= ${MAX_WEBHOOK_ATTEMPTS}) as failed
      from crm_connections c where c.id = ${connectionId}`
  if (!row) return undefined
  return {
    enabled: row.webhooks_enabled, accepting: row.accepting, totalReceived: Number(row.webhook_total_received), lastReceivedAt: row.webhook_last_received_at,
    pending: row.pending, failed: row.failed,
  }
}

export async function setWebhooksEnabled(db: Db, connectionId: string, enabled: boolean): Promise<void> {
  await db`update crm_connections set webhooks_enabled = ${enabled},
            webhooks_disabled_at = ${enabled ? null : db`now()`} where id = ${connectionId}`
}

/** Connections with webhook work left over (deliveries not expanded, events not applied): the cron's safety net. */
export async function listConnectionsWithPendingWebhooks(db: Db, limit: number): Promise<string[]> {
  const rows = await db`
    select c.id from crm_connections c
     where c.status = 'active'
       and (exists (select 1 from webhook_deliveries d where d.connection_id = c.id)
            or exists (select 1 from webhook_events e where e.connection_id = c.id and e.processed_at is null
                                                         and e.attempts < ${MAX_WEBHOOK_ATTEMPTS}))
     limit ${limit}`
  return rows.map((r) => r.id as string)
}
