import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { readLiveProcessRecord } from '../lib/local-server'
import type { DevPort } from './dev-ports'
import { devSettings } from './dev-settings'

/** The port the dev sandbox will listen on; null when a real HubSpot is configured instead. */
export function devSandboxPort(): DevPort | null {
  if (process.env.HUBSPOT_ACCESS_TOKEN && !process.env.HUBSPOT_API_BASE_URL) return null
  // Where the app listens too (scripts/dev.ts): this machine only, unless SYNCLINE_DEV_HOST opens both
  // (a container, whose forwarded ports a browser outside reaches, OAuth's consent page included).
  return { what: 'the sandbox HubSpot', port: devSettings().HUBSPOT_SANDBOX_PORT, envVar: 'HUBSPOT_SANDBOX_PORT', host: devHost() }
}

/** The address the dev sandbox listens on: 127.0.0.1, or SYNCLINE_DEV_HOST (which opens the app too). */
export const devHost = () => process.env.SYNCLINE_DEV_HOST || '127.0.0.1'

/** Listening on every interface: reached through loopback. */
const isWildcard = (host: string) => host === '0.0.0.0' || host === '::'

/** The app's address in development (APP_URL unset): the one next dev prints for `host`, localhost for every interface. */
export const devAppUrl = (host: string, port: number) =>
  `http://${isWildcard(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`

/** The URL a browser and the app use for the sandbox listening on `host`. */
export const reachableUrl = (host: string, port: number) => `http://${isWildcard(host) ? '127.0.0.1' : host}:${port}`

/** The demo portal `npm run dev` seeds (companies and deals in proportion, as `npm run sandbox` seeds them); the CLI's stand-in seeds the same. */
export function devPortalCounts() {
  const contacts = devSettings().HUBSPOT_SANDBOX_CONTACTS
  return { contacts, companies: Math.ceil(contacts / 5), deals: Math.ceil(contacts / 4), owners: 5 }
}

/**
 * What the app needs to talk to a sandbox at `url`: its API and consent-page URL and its
 * OAuth client. Anything set in the environment wins.
 */
export function sandboxAppEnv(url: string): Record<string, string> {
  return {
    HUBSPOT_API_BASE_URL: process.env.HUBSPOT_API_BASE_URL ?? url,
    HUBSPOT_AUTH_BASE_URL: process.env.HUBSPOT_AUTH_BASE_URL ?? url,
    HUBSPOT_CLIENT_ID: process.env.HUBSPOT_CLIENT_ID ?? 'sandbox-client-id',
    HUBSPOT_CLIENT_SECRET: sandboxClientSecret(),
  }
}

/** The OAuth client secret the sandbox is started with (and the app signs and checks with). */
export const sandboxClientSecret = () => process.env.HUBSPOT_CLIENT_SECRET ?? 'sandbox-client-secret'

// Starts the sandbox HubSpot for `npm run dev` unless a real HubSpot is configured,
// and returns the env the app needs to talk to it.
export async function startDevSandbox(opts: {
  appUrl: string
  /** Where it is recorded for `npm run sync` (see recordDevSandbox). */
  dataDir: string
  cleanups: Array<() => Promise<void>>
}): Promise<Record<string, string>> {
  const listen = devSandboxPort()
  if (!listen) return {}
  const { startHubSpotSandbox } = await import('../sandbox/hubspot/index')
  const sandbox = await startHubSpotSandbox({
    port: listen.port,
    host: listen.host,
    ...devPortalCounts(),
    webhookUrl: `${opts.appUrl}/api/webhooks/hubspot`,
    clientSecret: sandboxClientSecret(),
  })
  opts.cleanups.push(() => sandbox.close())
  const url = reachableUrl(listen.host ?? '127.0.0.1', sandbox.port)
  opts.cleanups.push(recordDevSandbox(opts.dataDir, url))
  console.log(`▸ Sandbox HubSpot at ${url} (portal ${sandbox.portalId})`)
  return sandboxAppEnv(url)
}

// Where the dev sandbox is, for `npm run sync`: beside the embedded database's pglite.json,
// so the CLI finds it on whatever port HUBSPOT_SANDBOX_PORT gave it without being told again.
const recordSchema = z.object({ url: z.url(), pid: z.number().int() })
const recordFile = (dataDir: string) => path.join(dataDir, 'sandbox.json')

/** Records the dev sandbox's URL in the data dir; the returned cleanup removes the record. */
export function recordDevSandbox(dataDir: string, url: string): () => Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(recordFile(dataDir), JSON.stringify({ url, pid: process.pid }))
  return async () => fs.rmSync(recordFile(dataDir), { force: true })
}

/** The URL a running `npm run dev` recorded for its sandbox; none when it is not running (its process gone). */
export function recordedDevSandbox(dataDir: string): string | undefined {
  return readLiveProcessRecord(recordFile(dataDir), recordSchema)?.url
}
