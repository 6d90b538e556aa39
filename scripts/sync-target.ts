import { sandboxHealth } from '../lib/crm/webhooks/manage'
import { env, resetEnvCache } from '../lib/env'
import type { Connection } from '../lib/store/connections'
import { acceptsConnections } from '../lib/local-server'
import { devPortalCounts, devSandboxPort, recordedDevSandbox, sandboxAppEnv, sandboxClientSecret } from './dev-sandbox'

export const SANDBOX_TOKEN = 'sandbox-token'
// Where `npm run dev` puts its sandbox (null only with a real HubSpot configured, when none stands in).
const SANDBOX_PORT = () => devSandboxPort()?.port ?? 4010

/**
 * Whether the environment names a CRM: a real HubSpot (a private-app token, an OAuth app,
 * Nango) or a base URL set by hand. Without one, the sandbox stands in, as with `npm run dev`.
 */
export function crmConfigured(source: NodeJS.ProcessEnv = process.env): boolean {
  return ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_API_BASE_URL', 'HUBSPOT_CLIENT_ID', 'NANGO_SECRET_KEY'].some((k) => !!source[k])
}

/**
 * The sandbox `npm run dev` serves, if it is running: its URL. Where dev recorded it in the
 * data dir (its port, whatever HUBSPOT_SANDBOX_PORT said there), else on this environment's port.
 */
export async function devSandboxUrl(): Promise<string | undefined> {
  const recorded = recordedDevSandbox(env().SYNCLINE_DATA_DIR)
  if (recorded && (await acceptsConnections(Number(new URL(recorded).port), new URL(recorded).hostname))) return recorded
  return (await acceptsConnections(SANDBOX_PORT())) ? `http://127.0.0.1:${SANDBOX_PORT()}` : undefined
}

/** Where the CLI looked for dev's sandbox, for a message telling how to point it there. */
export const devSandboxPortLookedAt = () => SANDBOX_PORT()

/**
 * Points this process at a sandbox as `npm run dev` points the app: a connection made in the
 * dashboard stores no base URL (it follows HUBSPOT_API_BASE_URL, HubSpot's own in
 * production), so without this the CLI would send its calls to api.hubapi.com, and could not
 * refresh its OAuth token.
 */
export function useSandbox(url: string): void {
  Object.assign(process.env, sandboxAppEnv(url))
  resetEnvCache()
}

/** A sandbox for this command alone, seeded as `npm run dev` seeds its own (the same portal); its data lives as long as the command. */
export async function startTemporarySandbox(): Promise<{ url: string; close(): Promise<void> }> {
  const { startHubSpotSandbox } = await import('../sandbox/hubspot/index')
  const sandbox = await startHubSpotSandbox({
    port: SANDBOX_PORT(), ...devPortalCounts(), tier: 'off', clientSecret: sandboxClientSecret(),
  })
  console.error(`No CRM configured and \`npm run dev\` is not running: using a temporary sandbox HubSpot at ${sandbox.url}`)
  return { url: sandbox.url, close: () => sandbox.close() }
}

/**
 * Why the sandbox at `url` must not stand in for `connection`'s HubSpot, or null when it may:
 * it serves another portal (or is not the sandbox). A connection made in the dashboard stores
 * no base URL, in production as in dev, so with no CRM named in this shell (a deployer's laptop
 * running this against the production DATABASE_URL, the HubSpot settings being on Vercel) a
 * real portal's connection was synced against the sandbox: its token sent there and refused,
 * the connection marked as needing to reconnect in production, or the sandbox's demo records
 * written into the workspace.
 */
export async function notTheSandboxPortal(url: string, connection: Pick<Connection, 'id' | 'portalId'>): Promise<string | null> {
  const health = await sandboxHealth(url)
  if (health && String(health.portalId) === connection.portalId) return null
  return `connection ${connection.id} is to HubSpot portal ${connection.portalId}, which the sandbox HubSpot at ${url} ` +
    `${health ? `(portal ${health.portalId}) ` : ''}does not serve, and this shell names no CRM (none of HUBSPOT_ACCESS_TOKEN, ` +
    'HUBSPOT_API_BASE_URL, HUBSPOT_CLIENT_ID, NANGO_SECRET_KEY): set the HubSpot settings its deployment has (HUBSPOT_CLIENT_ID and ' +
    'HUBSPOT_CLIENT_SECRET for OAuth, NANGO_SECRET_KEY for Nango, HUBSPOT_API_BASE_URL=https://api.hubapi.com for a private-app token), ' +
    'then run this again. Nothing was synced.'
}
