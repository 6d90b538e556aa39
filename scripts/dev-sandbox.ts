import type { DevPort } from './dev-ports'

/** The port the dev sandbox will listen on; null when a real HubSpot is configured instead. */
export function devSandboxPort(): DevPort | null {
  if (process.env.HUBSPOT_ACCESS_TOKEN && !process.env.HUBSPOT_API_BASE_URL) return null
  return { what: 'the sandbox HubSpot', port: Number(process.env.HUBSPOT_SANDBOX_PORT ?? 4010), envVar: 'HUBSPOT_SANDBOX_PORT', host: '127.0.0.1' }
}

// Starts the sandbox HubSpot for `npm run dev` unless a real HubSpot is configured,
// and returns the env the app needs to talk to it.
export async function startDevSandbox(opts: {
  appUrl: string
  cleanups: Array<() => Promise<void>>
}): Promise<Record<string, string>> {
  const listen = devSandboxPort()
  if (!listen) return {}
  const { startHubSpotSandbox } = await import('../sandbox/hubspot/index')
  const clientSecret = process.env.HUBSPOT_CLIENT_SECRET ?? 'sandbox-client-secret'
  const contacts = Number(process.env.HUBSPOT_SANDBOX_CONTACTS ?? 250)
  const sandbox = await startHubSpotSandbox({
    port: listen.port,
    host: listen.host,
    // A demo portal: companies and deals in proportion, as `npm run sandbox` seeds them.
    contacts, companies: Math.ceil(contacts / 5), deals: Math.ceil(contacts / 4), owners: 5,
    webhookUrl: `${opts.appUrl}/api/webhooks/hubspot`,
    clientSecret,
  })
  opts.cleanups.push(() => sandbox.close())
  console.log(`▸ Sandbox HubSpot at ${sandbox.url} (portal ${sandbox.portalId})`)
  return {
    HUBSPOT_API_BASE_URL: process.env.HUBSPOT_API_BASE_URL ?? sandbox.url,
    HUBSPOT_AUTH_BASE_URL: process.env.HUBSPOT_AUTH_BASE_URL ?? sandbox.url,
    HUBSPOT_CLIENT_ID: process.env.HUBSPOT_CLIENT_ID ?? 'sandbox-client-id',
    HUBSPOT_CLIENT_SECRET: clientSecret,
  }
}
