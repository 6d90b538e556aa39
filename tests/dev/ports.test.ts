import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { firstTakenPort, portTakenMessage } from '../../scripts/dev-ports'
import { devAppUrl, devSandboxPort, reachableUrl } from '../../scripts/dev-sandbox'
import { freePort } from '../helpers/ports'

// `npm run dev` with a port another process holds: one line naming the port and the
// variable that moves it, exit 1, before the embedded Postgres starts.

/** Holds a port on 127.0.0.1, as a leftover sandbox or dev server would. */
let held: net.Server
let heldPort: number
beforeAll(async () => {
  held = net.createServer()
  await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()))
  heldPort = (held.address() as net.AddressInfo).port
})
afterAll(() => new Promise<void>((r) => held.close(() => r())))


function runDev(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; dataDir: string }> {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-ports-')), 'data')
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SYNCLINE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', ...env }
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_API_BASE_URL']) delete childEnv[k]
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { cwd: process.cwd(), env: childEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, dataDir })))
}

describe('npm run dev with a port already taken', () => {
  it('the message names the port and the variable that moves it', () => {
    expect(portTakenMessage({ what: 'the sandbox HubSpot', port: 4010, envVar: 'HUBSPOT_SANDBOX_PORT' })).toBe(
      '✗ Port 4010 is already in use, so the sandbox HubSpot cannot start: stop what holds it, or set HUBSPOT_SANDBOX_PORT to another port (HUBSPOT_SANDBOX_PORT=4011 npm run dev).')
  })

  it('a port held on 127.0.0.1 is seen as taken, for the app (every interface) and the sandbox (127.0.0.1) alike', async () => {
    const free = await freePort()
    expect(await firstTakenPort([{ what: 'a', port: free, envVar: 'A' }])).toBeUndefined()
    expect(await firstTakenPort([{ what: 'a', port: free, envVar: 'A' }, { what: 'b', port: heldPort, envVar: 'B' }])).toMatchObject({ envVar: 'B' })
    expect(await firstTakenPort([{ what: 'b', port: heldPort, envVar: 'B', host: '127.0.0.1' }])).toMatchObject({ envVar: 'B' })
  })

  it.each([
    ['HUBSPOT_SANDBOX_PORT', 'the sandbox HubSpot'],
    ['PORT', 'the app (next dev)'],
  ])('%s taken: one line, exit 1, nothing started', async (envVar, what) => {
    const env = { PORT: String(await freePort()), HUBSPOT_SANDBOX_PORT: String(await freePort()), [envVar]: String(heldPort) }
    const run = await runDev(env)
    expect(run.code).toBe(1)
    expect(run.stderr.trim()).toBe(portTakenMessage({ what, port: heldPort, envVar }))
    expect(run.stdout).not.toMatch(/Embedded Postgres|Migrations/)
    expect(fs.existsSync(run.dataDir)).toBe(false)
    fs.rmSync(path.dirname(run.dataDir), { recursive: true, force: true })
  })
})

describe('where npm run dev listens', () => {
  it.each([
    { host: undefined, listens: '127.0.0.1', url: 'http://127.0.0.1:4010' },
    { host: '0.0.0.0', listens: '0.0.0.0', url: 'http://127.0.0.1:4010' },
    { host: '::', listens: '::', url: 'http://127.0.0.1:4010' },
    { host: '192.0.2.2', listens: '192.0.2.2', url: 'http://192.0.2.2:4010' },
  ])('SYNCLINE_DEV_HOST=$host: the sandbox listens on $listens and is reached at $url', ({ host, listens, url }) => {
    const saved = process.env.SYNCLINE_DEV_HOST
    try {
      if (host === undefined) delete process.env.SYNCLINE_DEV_HOST
      else process.env.SYNCLINE_DEV_HOST = host
      const sandbox = devSandboxPort()!
      expect(sandbox.host).toBe(listens)
      expect(reachableUrl(sandbox.host!, sandbox.port)).toBe(url)
    } finally {
      if (saved === undefined) delete process.env.SYNCLINE_DEV_HOST
      else process.env.SYNCLINE_DEV_HOST = saved
    }
  })
})

describe("npm run dev's APP_URL when unset: the address next dev prints", () => {
  it.each([
    { host: 'localhost', url: 'http://localhost:3000' },
    { host: '0.0.0.0', url: 'http://localhost:3000' },
    { host: '::', url: 'http://localhost:3000' },
    { host: '127.0.0.1', url: 'http://127.0.0.1:3000' },
    { host: '::1', url: 'http://[::1]:3000' },
  ])('$host → $url', ({ host, url }) => {
    expect(devAppUrl(host, 3000)).toBe(url)
  })
})
