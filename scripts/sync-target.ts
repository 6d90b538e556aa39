import net from 'node:net'
import { resetEnvCache } from '../lib/env'

export const SANDBOX_TOKEN = 'sandbox-token'
const SANDBOX_PORT = () => Number(process.env.HUBSPOT_SANDBOX_PORT ?? 4010)

/**
 * Whether the environment names a CRM: a real HubSpot (a private-app token, an OAuth app,
 * Nango) or a base URL set by hand. Without one, the sandbox stands in, as with `npm run dev`.
 */
export function crmConfigured(source: NodeJS.ProcessEnv = process.env): boolean {
  return ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_API_BASE_URL', 'HUBSPOT_CLIENT_ID', 'NANGO_SECRET_KEY'].some((k) => !!source[k])
}

/** The sandbox `npm run dev` serves, if it is running: its URL. */
export async function devSandboxUrl(): Promise<string | undefined> {
  return (await listening(SANDBOX_PORT())) ? `http://127.0.0.1:${SANDBOX_PORT()}` : undefined
}

/**
 * The settings `npm run dev` gives the app for its sandbox (scripts/dev-sandbox.ts): its
 * API and consent-page URL and its OAuth client. Anything set in the environment wins.
 */
export function sandboxAppEnv(url: string): Record<string, string> {
  return {
    HUBSPOT_API_BASE_URL: process.env.HUBSPOT_API_BASE_URL ?? url,
    HUBSPOT_AUTH_BASE_URL: process.env.HUBSPOT_AUTH_BASE_URL ?? url,
    HUBSPOT_CLIENT_ID: process.env.HUBSPOT_CLIENT_ID ?? 'sandbox-client-id',
    HUBSPOT_CLIENT_SECRET: process.env.HUBSPOT_CLIENT_SECRET ?? 'sandbox-client-secret',
  }
}

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
  const contacts = Number(process.env.HUBSPOT_SANDBOX_CONTACTS ?? 250)
  const sandbox = await startHubSpotSandbox({
    port: SANDBOX_PORT(), contacts, companies: Math.ceil(contacts / 5), deals: Math.ceil(contacts / 4), owners: 5, tier: 'off',
    clientSecret: sandboxAppEnv(SANDBOX_TOKEN).HUBSPOT_CLIENT_SECRET,
  })
  console.error(`No CRM configured and \`npm run dev\` is not running: using a temporary sandbox HubSpot at ${sandbox.url}`)
  return { url: sandbox.url, close: () => sandbox.close() }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port })
    s.once('connect', () => { s.destroy(); resolve(true) })
    s.once('error', () => resolve(false))
  })
}
