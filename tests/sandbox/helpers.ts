import { Client } from '@hubspot/api-client'
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../sandbox/hubspot/index.js'

/** Starts a sandbox on a free port; search lag 0 and no rate limits unless a test asks. */
export async function startSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  return startHubSpotSandbox({ port: 0, searchIndexLagMs: 0, tier: 'off', ...options })
}

export function sdk(sb: HubSpotSandbox, accessToken = sb.token): Client {
  return new Client({ accessToken, basePath: sb.url })
}

export async function raw(sb: HubSpotSandbox, method: string, path: string, body?: unknown, token: string | null = sb.token): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(sb.url + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

export const control = (sb: HubSpotSandbox, method: string, path: string, body?: unknown) => raw(sb, method, `/_sandbox${path}`, body, null)

/** The SDK throws ApiException { code, body }; returns it for assertions. */
export async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any; headers: Record<string, string> }> {
  try {
    await p
  } catch (e) {
    const err = e as { code: number; body: any; headers: Record<string, string> }
    return { code: err.code, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body, headers: err.headers }
  }
  throw new Error('expected the call to fail')
}
