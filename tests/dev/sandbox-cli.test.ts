import { describe, expect, it } from 'vitest'
import { runScript } from '../helpers/run-script'

// `npm run sandbox -- --help` (or a mistyped flag) answered with node's stack trace from
// parseArgs: an operator setting the sandbox up for a production build had to read cli.ts.

const runCli = (args: string[]) => runScript('sandbox/hubspot/cli.ts', args)

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
