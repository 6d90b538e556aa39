import { afterAll } from 'vitest'
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../sandbox/hubspot/index'
import { sealCredentials } from '../../lib/crm/auth/credentials'
import type { ConnectionSettingsInput } from '../../lib/crm/settings'
import { createConnection } from '../../lib/store/connections'
import type { Sql } from '../../lib/store/db'

// Each test sandbox is its own portal: webhook deliveries go to every connection of a
// portal, so files sharing one would also drive each other's (long closed) connections.
let nextPortal = 70_000_000 + Math.floor(Math.random() * 1_000_000) * 10

/** A sandbox HubSpot on a free port for this test file, unthrottled and with no search lag unless asked. */
export async function testSandbox(opts: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const sandbox = await startHubSpotSandbox({ port: 0, tier: 'off', searchIndexLagMs: 0, portalId: nextPortal++, ...opts })
  afterAll(() => sandbox.close())
  return sandbox
}

/** A connection of `tenantId` to the sandbox with its private-app token. */
export async function sandboxConnection(sql: Sql, sandbox: HubSpotSandbox, tenantId: string, settings: ConnectionSettingsInput = {}): Promise<string> {
  const c = await createConnection(sql, {
    tenantId, authMethod: 'private_app', portalId: String(sandbox.portalId), apiBaseUrl: sandbox.url,
    credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: sandbox.token }),
    settings: { requestsPerTenSeconds: 1000, lookbackMs: 0, ...settings },
  })
  return c.id
}

/** Calls the sandbox's control API (not HubSpot's; `/_sandbox/...`). */
export async function control<T = unknown>(sandbox: HubSpotSandbox, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (res.status === 204 ? undefined : await res.json()) as T
}
