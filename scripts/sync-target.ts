import net from 'node:net'
import type { Env } from '../lib/env'

const SANDBOX_TOKEN = 'sandbox-token'

/**
 * The CRM the CLI connects to when the database has no connection yet: HubSpot with
 * HUBSPOT_ACCESS_TOKEN; else the dev sandbox if `npm run dev` is serving it; else a
 * sandbox started for this run (its data lives only as long as the command).
 */
export async function resolveCliCrm(e: Env): Promise<{ token: string; baseUrl: string; close(): Promise<void> }> {
  if (e.HUBSPOT_ACCESS_TOKEN) return { token: e.HUBSPOT_ACCESS_TOKEN, baseUrl: e.HUBSPOT_API_BASE_URL, close: async () => {} }
  const port = Number(process.env.HUBSPOT_SANDBOX_PORT ?? 4010)
  if (await listening(port)) return { token: SANDBOX_TOKEN, baseUrl: `http://127.0.0.1:${port}`, close: async () => {} }
  const { startHubSpotSandbox } = await import('../sandbox/hubspot/index')
  const sandbox = await startHubSpotSandbox({ port, contacts: 250, companies: 60, deals: 80, owners: 8, tier: 'off' })
  console.error(`No CRM configured: using a temporary sandbox HubSpot at ${sandbox.url}`)
  return { token: sandbox.token, baseUrl: sandbox.url, close: () => sandbox.close() }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port })
    s.once('connect', () => { s.destroy(); resolve(true) })
    s.once('error', () => resolve(false))
  })
}
