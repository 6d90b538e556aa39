import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface Child {
  proc: ChildProcess
  stop(): Promise<void>
}

/** Starts `node --import tsx <script>` and resolves with the first stdout line matching `ready`. */
export async function startChild(script: string, args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: Child; match: RegExpMatchArray }> {
  const proc = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env },
  })
  const lines = createInterface({ input: proc.stdout! })
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)))
    lines.on('line', (line) => {
      const m = line.match(ready)
      if (m) resolve(m)
    })
  })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGTERM')
    })
  return { child: { proc, stop }, match }
}

/** The sandbox HubSpot in its own process, as the real one would be. */
/** `customProperties`: the portal's own text properties on contacts, each contact holding a value for each. */
export async function startSandboxProcess(contacts: number, tier: string, customProperties = 0): Promise<{ url: string; child: Child }> {
  const { child, match } = await startChild('sandbox/hubspot/cli.ts',
    ['--port', '0', '--contacts', String(contacts), '--companies', '0', '--deals', '0', '--owners', '5', '--tier', tier, '--search-lag-ms', '0',
      '--custom-properties', String(customProperties)],
    /listening on (http:\/\/\S+)/)
  return { url: match[1], child }
}

/** The embedded Postgres in its own process (in memory), as `npm run dev` runs it. */
export async function startDatabaseProcess(): Promise<{ url: string; child: Child }> {
  const { child, match } = await startChild('scripts/db-serve.ts', ['--memory'], /"url":"([^"]+)"/)
  return { url: match[1], child }
}
