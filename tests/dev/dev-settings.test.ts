import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { devSettings } from '../../scripts/dev-settings'
import { freePort } from '../helpers/ports'

// The local commands' own settings are checked as the app's are: PORT=abc stopped `npm run dev`
// with node's RangeError about "options.port" (no word of PORT), HUBSPOT_SANDBOX_CONTACTS=1k
// seeded an empty portal without a word, and a bad value of any lib/env.ts setting stopped
// dev, db:migrate, db:serve, rotate-token-key and bench with an uncaught EnvError's stack trace.

describe('devSettings', () => {
  type Case = [name: string, source: Record<string, string>, expected: Record<string, number> | RegExp]
  const cases: Case[] = [
    ['none set: the defaults', {}, { PORT: 3000, HUBSPOT_SANDBOX_PORT: 4010, HUBSPOT_SANDBOX_CONTACTS: 250 }],
    ['blank is unset', { PORT: '', HUBSPOT_SANDBOX_PORT: '', HUBSPOT_SANDBOX_CONTACTS: '' }, { PORT: 3000, HUBSPOT_SANDBOX_PORT: 4010, HUBSPOT_SANDBOX_CONTACTS: 250 }],
    ['values read as numbers', { PORT: '3200', HUBSPOT_SANDBOX_PORT: '4210', HUBSPOT_SANDBOX_CONTACTS: '0' }, { PORT: 3200, HUBSPOT_SANDBOX_PORT: 4210, HUBSPOT_SANDBOX_CONTACTS: 0 }],
    ['a port that is no number', { PORT: 'abc' }, /^Invalid environment:\n {2}- PORT: must be a port number \(1-65535\)$/],
    ['a port out of range', { HUBSPOT_SANDBOX_PORT: '70000' }, /- HUBSPOT_SANDBOX_PORT: must be a port number/],
    ['port 0 (a random one, which nothing could find)', { PORT: '0' }, /- PORT: must be a port number/],
    ['contacts written as 1k', { HUBSPOT_SANDBOX_CONTACTS: '1k' }, /- HUBSPOT_SANDBOX_CONTACTS: must be a whole number of contacts/],
    ['every problem named at once', { PORT: 'x', HUBSPOT_SANDBOX_PORT: 'y', HUBSPOT_SANDBOX_CONTACTS: '-1' }, /PORT: .*\n.*HUBSPOT_SANDBOX_PORT: .*\n.*HUBSPOT_SANDBOX_CONTACTS: /],
  ]
  it.each(cases)('%s', (_name, source, expected) => {
    if (expected instanceof RegExp) expect(() => devSettings(source)).toThrow(expected)
    else expect(devSettings(source)).toEqual(expected)
  })
})

async function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; dataDir: string }> {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-settings-')), 'data')
  // Free ports, and cron off: had a check failed to stop it, dev would not take another's ports.
  const ports = { PORT: String(await freePort()), HUBSPOT_SANDBOX_PORT: String(await freePort()), SYNCLINE_DEV_CRON: 'off' }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SYNCLINE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', ...ports, ...env }
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_API_BASE_URL', 'NODE_ENV']) delete childEnv[k]
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), env: childEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, dataDir })))
}

describe('a command started with a bad setting', () => {
  it.each([
    ['npm run dev, PORT=abc', 'scripts/dev.ts', { PORT: 'abc' }, 'PORT: must be a port number (1-65535)'],
    ['npm run dev, HUBSPOT_SANDBOX_CONTACTS=1k', 'scripts/dev.ts', { HUBSPOT_SANDBOX_CONTACTS: '1k' }, 'HUBSPOT_SANDBOX_CONTACTS: must be a whole number'],
    ['npm run dev, an app setting', 'scripts/dev.ts', { DATABASE_POOL_MAX: 'abc' }, 'DATABASE_POOL_MAX: '],
    ['npm run db:migrate', 'scripts/migrate.ts', { DATABASE_POOL_MAX: 'abc' }, 'DATABASE_POOL_MAX: '],
    ['npm run db:serve', 'scripts/db-serve.ts', { SYNC_DEFAULT_PHONE_COUNTRY: 'UK' }, 'SYNC_DEFAULT_PHONE_COUNTRY: '],
    ['npm run rotate-token-key', 'scripts/rotate-token-key.ts', { TOKEN_ENCRYPTION_KEY: 'short' }, 'TOKEN_ENCRYPTION_KEY: must be 32 bytes'],
  ])('%s: the problem named, no stack trace, exit 1, nothing started', async (_name, script, env, named) => {
    const r = await run(script, env)
    try {
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^✗ Invalid environment:\n/)
      expect(r.stderr).toContain(named)
      expect(r.stderr).not.toMatch(/^\s+at /m)
      expect(r.stdout).toBe('')
      expect(fs.existsSync(r.dataDir)).toBe(false)
    } finally {
      fs.rmSync(path.dirname(r.dataDir), { recursive: true, force: true })
    }
  }, 30_000)
})
