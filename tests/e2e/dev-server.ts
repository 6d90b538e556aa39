import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../helpers/ports'

// `npm run dev` exactly as a newcomer runs it (embedded PGlite + sandbox HubSpot + next dev),
// on free ports and a throwaway data directory.

export { freePort }

export interface DevServer {
  appUrl: string
  sandboxUrl: string
  output: () => string
  stop(): Promise<void>
}

/** `env`: set after the embedded default's clearing, e.g. Supabase Auth's public keys to reach /login. */
/** The embedded Postgres `npm run dev` started, as it prints it: a test writes there what a sync would. */
export function devDatabaseUrl(dev: DevServer): string {
  const url = /Embedded Postgres \(PGlite\) at (\S+)/.exec(dev.output())?.[1]
  if (!url) throw new Error(`no database URL in the dev output:\n${dev.output().slice(-2000)}`)
  return url
}

export async function startDevServer(opts: { contacts?: number; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<DevServer> {
  const [port, sandboxPort] = [await freePort(), await freePort()]
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-e2e-'))
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HUBSPOT_SANDBOX_PORT: String(sandboxPort), SYNCLINE_DATA_DIR: dataDir,
    HUBSPOT_SANDBOX_CONTACTS: String(opts.contacts ?? 60), NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'development' }
  // The embedded default: nothing configured.
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'APP_URL', 'HUBSPOT_API_BASE_URL', 'HUBSPOT_AUTH_BASE_URL', 'HUBSPOT_ACCESS_TOKEN',
    'HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'NANGO_SECRET_KEY', 'NEXT_PUBLIC_SUPABASE_URL', 'NEXT_PUBLIC_SUPABASE_ANON_KEY', 'TOKEN_ENCRYPTION_KEY']) delete env[k]
  Object.assign(env, opts.env)
  const child: ChildProcess = spawn('npm', ['run', 'dev'], { cwd: process.cwd(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  const appUrl = `http://localhost:${port}`
  const server: DevServer = {
    appUrl,
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        try { process.kill(-child.pid!, 'SIGTERM') } catch { /* already gone */ }
        const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch { /* gone */ } }, 10_000)
        await exited
        clearTimeout(timer)
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 240_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await server.stop()
      throw new Error(`npm run dev exited with ${child.exitCode}:\n${log.slice(-4000)}`)
    }
    // The first request compiles the dashboard; answering at all means the server is up.
    // (401: the route's own answer to a signed-out caller, with Supabase Auth configured.)
    const ok = await fetch(`${appUrl}/api/crm/status`).then((r) => r.ok || r.status === 401, () => false)
    if (ok) return server
    await new Promise((r) => setTimeout(r, 1000))
  }
  await server.stop()
  throw new Error(`npm run dev did not answer within the timeout:\n${log.slice(-4000)}`)
}
