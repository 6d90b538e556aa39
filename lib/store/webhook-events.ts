import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { Db, Sql } from './db'

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
  /** Milliseconds. */
  occurredAt: number
  payload: unknown
}

export interface Delivery {
  target: WebhookTarget
  /** `encodeDeliveryBody` of the delivery's events (a JSON array of HubSpot's objects, verified and validated). */
  body: Buffer
  eventCount: number
}

// A delivery's events are stored deflated: 100 events are ~25 kB of JSON and ~2 kB
// deflated (level 1, ~50 µs). Bytes were the ack path's main cost in the database — above
// all in the embedded one, where a 25 kB row cost ~5× a 2 kB one — and Postgres itself
// cannot inflate, so the processor expands deliveries here. Synchronous on purpose: zlib's
// async API (a stream per call, handed to libuv's pool) measured ~3× the CPU. An 8 kB
// window compresses these bodies as well as the default 32 kB one, and keeps zlib's
// per-call state (96 kB instead of 256 kB) under malloc's mmap threshold: the default
// cost an mmap, page faults and an munmap per delivery, ~3× the compression itself.
const DEFLATE = { level: 1, windowBits: 13, memLevel: 7 }

export function encodeDeliveryBody(json: Buffer | string): Buffer {
  return deflateRawSync(json, DEFLATE)
}

/**
 * The ack path: one row per delivery, whatever its size, and several deliveries in one
 * statement (see the webhook_deliveries migrations). Keys, columns and deduplication
 * happen when the processor expands them.
 */
export async function storeDeliveries(db: Db, deliveries: Delivery[]): Promise<void> {
  if (deliveries.length === 0) return
  const rows = deliveries.map((d) => ({ tenant_id: d.target.tenantId, connection_id: d.target.connectionId, event_count: d.eventCount, body: d.body }))
  await db`insert into webhook_deliveries ${db(rows, 'tenant_id', 'connection_id', 'event_count', 'body')}`
}

/** Turns a delivery's stored events (as HubSpot sent them) into inbox rows. */
export type PrepareEvents = (events: unknown[]) => NewWebhookEvent[]

interface LegacyEvent { k: string; t: string; o: string | null; i: string | null; at: number; p: unknown }

/**
 * Moves up to `limit` of a connection's deliveries into webhook_events in one transaction
 * (a redelivered event key is a no-op) and counts the new events on the connection.
 * Safe to run concurrently: each delivery row is taken by one caller.
 */
export async function expandDeliveries(sql: Sql, connectionId: string, prepare: PrepareEvents, limit = 100): Promise<{ deliveries: number; inserted: number }> {
  return sql.begin(async (tx) => {
    const deliveries = await tx`select id, tenant_id, body, events, received_at from webhook_deliveries
                                 where connection_id = ${connectionId} order by id limit ${limit} for update skip locked`
    if (deliveries.length === 0) return { deliveries: 0, inserted: 0 }
    const rows: Array<NewWebhookEvent & { tenantId: string; receivedAt: Date; n: number }> = []
    for (const d of deliveries) {
      // Rows written before bodies were stored deflated carry prepared events.
      const events = d.body
        ? prepare(JSON.parse(inflateRawSync(d.body).toString('utf8')) as unknown[])
        : (JSON.parse(d.events) as LegacyEvent[]).map((e) => ({ eventKey: e.k, subscriptionType: e.t, objectType: e.o, objectId: e.i, occurredAt: e.at, payload: e.p }))
      for (const e of events) rows.push({ ...e, tenantId: d.tenant_id, receivedAt: d.received_at, n: rows.length })
    }
    const [row] = await tx`
      with ins as (
        insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, received_at)
        select "tenantId", ${connectionId}, "eventKey", "subscriptionType", "objectType", "objectId", to_timestamp("occurredAt" / 1000.0), payload, "receivedAt"
          from jsonb_to_recordset(${tx.json(rows as never)}::jsonb)
               as r("tenantId" uuid, "eventKey" text, "subscriptionType" text, "objectType" text, "objectId" text, "occurredAt" bigint, payload jsonb, "receivedAt" timestamptz, n bigint)
         order by n
        on conflict (connection_id, event_key) do nothing
        returning 1
      ), del as (
        delete from webhook_deliveries where id = any(${deliveries.map((d) => String(d.id))}::bigint[]) returning received_at
      ), n as (select (select count(*)::int from ins) as inserted, (select count(*)::int from del) as deliveries, (select max(received_at) from del) as last_at)
      update crm_connections c set webhook_total_received = c.webhook_total_received + n.inserted,
             webhook_last_received_at = greatest(c.webhook_last_received_at, n.last_at)
        from n where c.id = ${connectionId}
      returning n.inserted, n.deliveries`
    return row ? { deliveries: row.deliveries, inserted: row.inserted } : { deliveries: deliveries.length, inserted: 0 }
  })
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
  await db`update webhook_events set processed_at = now(), error = null where id = any(${ids}::bigint[]) and processed_at is null`
}

export async function markEventsFailed(db: Db, ids: number[], error: string): Promise<void> {
  if (ids.length === 0) return
  // Only events still pending: one a committed step of the same batch processed stays as it is.
  await db`update webhook_events set attempts = attempts + 1, error = ${error.slice(0, 1000)} where id = any(${ids}::bigint[]) and processed_at is null`
}

/** Events that failed every attempt, made pending again (a person asked to retry them). */
export async function retryFailedEvents(db: Db, connectionId: string): Promise<number> {
  const rows = await db`update webhook_events set attempts = 0, error = null
                         where connection_id = ${connectionId} and processed_at is null and attempts >= ${MAX_WEBHOOK_ATTEMPTS}
                         returning id`
  return rows.length
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
