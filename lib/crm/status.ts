import { disconnectedConnections, listConnections, type Connection } from '../store/connections'
import { connectionHealth, latestRunsByType, realtimeActivity, type ConnectionHealth, type LatestRun, type RealtimeActivity } from '../store/dashboard'
import type { Db } from '../store/db'
import { leaseHold, type LeaseHold } from '../store/lease'
import { getWebhookStatus } from '../store/webhook-events'
import { leaseStopped } from './busy'
import { missingExtraProperties, parseSettings, settingsView, type SettingsView } from './settings'
import { SYNC_OBJECT_TYPES, type ObjectType, type SyncObjectType } from './types'
import { webhookStatusView, type WebhookStatusView } from './webhooks/status-view'

// What the dashboard and GET /api/crm/status show for each connection. Built from an
// allow-list of fields: credentials, nango ids and lease owners never leave the server.

export interface ConnectionStatusView extends ConnectionHealth {
  id: string
  provider: Connection['provider']
  authMethod: Connection['authMethod']
  portalId: string | null
  label: string | null
  status: Connection['status']
  statusReason: string | null
  lastSyncedAt: string | null
  nextSyncAt: string | null
  createdAt: string
  /** Per object type, its last sync (webhook applies are in `realtime`). */
  objects: Record<SyncObjectType, LatestRunView | null>
  /** Per object type, what webhook applies did in the last 24 hours. */
  realtime: Record<SyncObjectType, RealtimeView | null>
  /** As webhook-status answers it (webhooks/status-view.ts): `enabled` by the card's rule, the stored column as `turnedOnHere`. */
  webhooks: Omit<WebhookStatusView, 'lastReceivedAt'> & { lastReceivedAt: string | null }
  settings: SettingsView
  /** The chosen extra properties the CRM no longer had at its last read, by object type (only types with some). */
  extraPropertiesMissing: Partial<Record<ObjectType, string[]>>
  /** A sync holds the connection's lease and renewed it lately (see leaseStopped): it is at work. */
  running: boolean
  /**
   * The lease is held, but its holder has not renewed it for STOPPED_AFTER_SECONDS: the sync
   * most likely stopped without finishing (its server stopped), and nothing can sync this
   * connection until the lease expires (in `leftSeconds`); the next sync goes on from there.
   * Null otherwise. (A kill -9 mid-sync showed "Syncing…" until the lease expired.)
   */
  stoppedSync: LeaseHold | null
}

export type LatestRunView = Omit<LatestRun, 'startedAt' | 'finishedAt'> & { startedAt: string; finishedAt: string | null }
export type RealtimeView = Omit<RealtimeActivity, 'objectType' | 'lastAt'> & { lastAt: string }

const NO_WEBHOOKS = { enabled: false, accepting: true, totalReceived: 0, lastReceivedAt: null, pending: 0, failed: 0 }

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)

/** One entry per object type: its row's view, or null when it has none. */
function byObjectType<R extends { objectType: SyncObjectType }, V>(rows: R[], view: (r: R) => V): Record<SyncObjectType, V | null> {
  return Object.fromEntries(SYNC_OBJECT_TYPES.map((t) => {
    const r = rows.find((x) => x.objectType === t)
    return [t, r ? view(r) : null]
  })) as Record<SyncObjectType, V | null>
}

export async function connectionStatuses(db: Db, tenantId: string): Promise<ConnectionStatusView[]> {
  const connections = await listConnections(db, tenantId)
  return Promise.all(connections.map(async (c) => {
    const [runs, activity, health, hooks, hold] = await Promise.all([
      latestRunsByType(db, tenantId, c.id), realtimeActivity(db, tenantId, c.id), connectionHealth(db, tenantId, c.id), getWebhookStatus(db, c.id),
      leaseHold(db, c.id),
    ])
    const stopped = hold !== null && leaseStopped(hold)
    const settings = settingsView(c.settings)
    const objects = byObjectType(runs, (r): LatestRunView => ({ ...r, startedAt: iso(r.startedAt)!, finishedAt: iso(r.finishedAt) }))
    const realtime = byObjectType(activity, (a): RealtimeView => ({ applied: a.applied, failed: a.failed, error: a.error, lastStatus: a.lastStatus, lastAt: iso(a.lastAt)! }))
    return {
      id: c.id, provider: c.provider, authMethod: c.authMethod, portalId: c.portalId, label: c.label, status: c.status,
      statusReason: c.statusReason, lastSyncedAt: iso(c.lastSyncedAt), nextSyncAt: iso(c.nextSyncAt), createdAt: iso(c.createdAt)!,
      ...health, objects, realtime, settings, extraPropertiesMissing: missingExtraProperties(settings.extraProperties, c.extraPropertiesMissing),
      running: hold !== null && !stopped, stoppedSync: stopped ? hold : null,
      webhooks: { ...webhookStatusView(hooks ?? NO_WEBHOOKS), lastReceivedAt: iso(hooks?.lastReceivedAt ?? null) },
    }
  }))
}

/** A connection as a response may show it: no credentials, no Nango ids. */
export function publicConnection(c: Connection) {
  return { id: c.id, provider: c.provider, authMethod: c.authMethod, portalId: c.portalId, label: c.label, status: c.status, createdAt: iso(c.createdAt) }
}

/**
 * With no connection in use (`connections`, connectionStatuses' list), the ones disconnected:
 * the last one's direction, and their portals (distinct, the last disconnected first). The
 * app's edits wait in its outbox (it survives a disconnect) and are pushed once the same
 * portal is connected again, unless it was HubSpot → app only; its records, settings and
 * cursors are kept (saveConnection revives it). Null when a connection is in use, or none was
 * ever disconnected. The lead form says so ("sent with the next sync" never came), and the
 * dashboard names the portals where it said "No CRM connected yet".
 */
export async function awaitingReconnect(db: Db, tenantId: string, connections: readonly unknown[]): Promise<AwaitingReconnect | null> {
  if (connections.length > 0) return null
  const gone = await disconnectedConnections(db, tenantId)
  if (gone.length === 0) return null
  const portals = [...new Set(gone.flatMap((c) => (c.portalId ? [c.portalId] : [])))]
  return { direction: parseSettings(gone[0].settings).direction, portals }
}

export interface AwaitingReconnect {
  direction: SettingsView['direction']
  /** Portal ids, the last disconnected first; empty when none was recorded. */
  portals: string[]
}
