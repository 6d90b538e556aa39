import { randomBytes } from 'node:crypto'
import { afterAll, inject } from 'vitest'
import { resetEnvCache } from '../../lib/env'
import { closeSql, type Sql } from '../../lib/store/db'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index'

// Route tests call the exported handlers with real Requests, against this run's test
// database and a sandbox HubSpot. The handlers act for the embedded mode's local workspace.

export const TEST_CRON_SECRET = 'test-cron-secret-0123456789'
export const TEST_NANGO_WEBHOOK_SECRET = 'test-nango-webhook-secret'
export const APP_URL = 'http://app.test'

/** Points the app's env at this run's database and the given sandbox; restored after the file. */
export function useAppEnv(sandbox: HubSpotSandbox): void {
  const saved = { ...process.env }
  Object.assign(process.env, {
    DATABASE_URL: inject('databaseUrl'),
    DATABASE_POOL_MAX: '4',
    APP_URL,
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_AUTH_BASE_URL: sandbox.url,
    HUBSPOT_CLIENT_ID: sandbox.clientId,
    HUBSPOT_CLIENT_SECRET: sandbox.clientSecret,
    CRON_SECRET: TEST_CRON_SECRET,
    NANGO_WEBHOOK_SECRET: TEST_NANGO_WEBHOOK_SECRET,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  })
  delete process.env.NANGO_SECRET_KEY
  delete process.env.NEXT_PUBLIC_SUPABASE_URL
  resetEnvCache()
  afterAll(async () => {
    await closeSql()
    process.env = saved
    resetEnvCache()
  })
}

/** Empties the local workspace (connections cascade to runs, links, conflicts, outbox, owners). */
export async function resetLocalWorkspace(sql: Sql): Promise<void> {
  await sql`delete from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
  await sql`delete from deals where tenant_id = ${LOCAL_TENANT_ID}`
  await sql`delete from contacts where tenant_id = ${LOCAL_TENANT_ID}`
  await sql`delete from companies where tenant_id = ${LOCAL_TENANT_ID}`
}

export function jsonRequest(path: string, body: unknown, init: RequestInit & { raw?: boolean } = {}): Request {
  return new Request(`${APP_URL}${path}`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A fingerprint of everything a route could change, to prove a refused request changed nothing. */
export async function snapshot(sql: Sql): Promise<Record<string, number | string>> {
  const [r] = await sql`select
    (select count(*)::int from crm_connections) as connections,
    (select coalesce(string_agg(id::text || status || coalesce(next_sync_at::text, ''), ',' order by id), '') from crm_connections) as connection_state,
    (select count(*)::int from sync_runs) as runs,
    (select count(*)::int from contacts) as contacts,
    (select count(*)::int from crm_outbox) as outbox,
    (select count(*)::int from sync_conflicts where status = 'open') as open_conflicts`
  return r
}
