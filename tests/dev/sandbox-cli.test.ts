import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

// `npm run sandbox -- --help` (or a mistyped flag) answered with node's stack trace from
// parseArgs: an operator setting the sandbox up for a production build had to read cli.ts.

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/hubspot/cli.ts', ...args], { cwd: process.cwd() })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('npm run sandbox', () => {
  it('--help prints the flags and exits 0, starting nothing', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: npm run sandbox -- /)
    for (const flag of ['--port', '--contacts', '--webhook-url', '--client-secret', '--tier']) expect(r.stdout).toContain(flag)
    expect(r.stdout).not.toMatch(/listening/)
  })

  it('an unknown flag is named, with the usage, exit 2, and no stack trace', async () => {
    const r = await runCli(['--webhook-uri', 'http://localhost:3000/api/webhooks/hubspot'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Unknown option '--webhook-uri'/)
    expect(r.stderr).toMatch(/--webhook-url/)
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })
})
