import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { announceSkip } from './browser'

// Tokens never reach the browser: build the app with a canary in every secret setting and
// grep what Next ships to clients (.next/static). One build per test run, before the
// dev-server test (see the sequencer in vitest.e2e.config.ts).

const skip = process.env.TEST_DATABASE_URL ? 'the build check runs in the embedded pass only (TEST_DATABASE_URL is set)' : null
if (skip) announceSkip(skip)

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

describe.skipIf(!!skip)('the client bundle', () => {
  it('contains none of the server secrets it was built with', () => {
    const canary = (name: string) => `${name}-canary-${randomBytes(8).toString('hex')}`
    const secrets = {
      HUBSPOT_ACCESS_TOKEN: canary('pat-na1'),
      HUBSPOT_CLIENT_SECRET: canary('client-secret'),
      NANGO_SECRET_KEY: canary('nango-secret'),
      NANGO_WEBHOOK_SECRET: canary('nango-webhook'),
      CRON_SECRET: canary('cron-secret'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-build-'))
    const build = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
      env: { ...process.env, ...secrets, HUBSPOT_CLIENT_ID: 'bundle-test-client', SYNCLINE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8', timeout: 540_000, maxBuffer: 64 * 1024 * 1024,
    })
    fs.rmSync(dataDir, { recursive: true, force: true })
    const output = `${build.stdout}\n${build.stderr}`
    expect(build.status, output.slice(-4000)).toBe(0)
    for (const value of Object.values(secrets)) expect(output).not.toContain(value)

    const files = filesUnder('.next/static')
    expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0)
    const leaks = files.flatMap((f) => {
      const text = fs.readFileSync(f, 'latin1')
      return Object.entries(secrets).filter(([, v]) => text.includes(v)).map(([k]) => `${k} in ${f}`)
    })
    expect(leaks).toEqual([])
  })
})
