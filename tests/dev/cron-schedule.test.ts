import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { devCronEnabled, devCronSecret, describeCronReport } from '../../scripts/dev-cron'
import { nextFireAfter, parseCronSchedule, vercelSyncCron } from '../../scripts/dev-cron-schedule'
import { envSchema } from '../../lib/env'

// npm run dev's cron fires when Vercel's would: vercel.json's schedule, read in UTC.

describe('the next time a cron schedule fires', () => {
  it.each([
    ['0 * * * *', '2026-12-01T16:41:38.500Z', '2026-12-01T17:00:00.000Z'],
    ['0 * * * *', '2026-12-01T17:00:00.000Z', '2026-12-01T18:00:00.000Z'], // strictly after: not the tick just fired
    ['0 * * * *', '2026-12-01T16:59:59.999Z', '2026-12-01T17:00:00.000Z'],
    ['0 * * * *', '2026-12-31T23:30:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['*/15 * * * *', '2026-12-01T16:41:00.000Z', '2026-12-01T16:45:00.000Z'],
    ['5,35 * * * *', '2026-12-01T16:36:00.000Z', '2026-12-01T17:05:00.000Z'],
    ['30 3 * * *', '2026-12-01T16:41:00.000Z', '2026-12-02T03:30:00.000Z'],
    ['* * * * *', '2026-12-01T16:41:10.000Z', '2026-12-01T16:42:00.000Z'],
  ])('%s after %s: %s', (schedule, after, expected) => {
    expect(nextFireAfter(parseCronSchedule(schedule), new Date(after)).toISOString()).toBe(expected)
  })

  it.each([
    ['0 * * *', /five fields/],
    ['0 * * * 1', /only \* for day, month and weekday/],
    ['61 * * * *', /minute "61"/],
    ['0 1-5 * * *', /hour "1-5"/],
  ])('%s is refused, not fired at the wrong time', (schedule, message) => {
    expect(() => parseCronSchedule(schedule)).toThrow(message)
  })

  it("vercel.json's sync cron is hourly, at the top of the hour", () => {
    expect(vercelSyncCron()).toEqual({ path: '/api/cron/sync-crm', schedule: '0 * * * *' })
  })
})

describe('SYNCLINE_DEV_CRON and the secret', () => {
  it.each([[undefined, true], ['', true], ['on', true], ['off', false], ['OFF', false]])('%j: on is %s', (value, on) => {
    expect(devCronEnabled(value)).toBe(on)
  })

  it('another value stops npm run dev with a line saying what it takes', () => {
    expect(() => devCronEnabled('false')).toThrow('SYNCLINE_DEV_CRON must be "on" or "off", not "false"')
  })

  it('npm run dev with another value: one line, exit 1, nothing started', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-devcron-')), 'data')
    const env: NodeJS.ProcessEnv = { ...process.env, SYNCLINE_DEV_CRON: 'sometimes', SYNCLINE_DATA_DIR: dataDir }
    delete env.DATABASE_URL
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { cwd: process.cwd(), env })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    expect(await new Promise((r) => child.on('exit', r))).toBe(1)
    expect(out.trim()).toBe('✗ SYNCLINE_DEV_CRON must be "on" or "off", not "sometimes"')
    expect(fs.existsSync(dataDir)).toBe(false)
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true })
  })

  it('CRON_SECRET when set; else a fresh one the app accepts', () => {
    expect(devCronSecret('my-own-cron-secret-123')).toBe('my-own-cron-secret-123')
    const made = devCronSecret(undefined)
    expect(made).not.toBe(devCronSecret(undefined))
    expect(envSchema.parse({ CRON_SECRET: made }).CRON_SECRET).toBe(made)
  })
})

describe("the cron's line", () => {
  const report = { interrupted: 0, due: 0, results: [], deferred: [], webhooks: [], pruned: { runs: 0, events: 0, pendingRefs: 0, outbox: 0, leadCounts: 0 } }
  it.each([
    ['nothing due', report, 'no connection due'],
    ['two synced, one partial', { ...report, due: 2, results: [{ status: 'success' }, { status: 'partial' }] }, 'synced 2 of 2 due connections (1 success, 1 partial)'],
    ['one left for later, webhooks applied, one drain failed', {
      ...report, due: 2, results: [{ status: 'error' }], deferred: ['c2'],
      webhooks: [{ connectionId: 'c1', status: 'processed', events: 12 }, { connectionId: 'c2', status: 'failed', events: 3 }],
    }, 'synced 1 of 2 due connections (1 error) · 1 left for the next run · applied 12 waiting webhook events · 1 webhook drain failed'],
    ['housekeeping', { ...report, interrupted: 1, pruned: { runs: 40, events: 2, pendingRefs: 0, outbox: 0, leadCounts: 3 } }, 'no connection due · closed 1 interrupted run · pruned 42 old rows'],
    ['not a report', { error: 'x' }, 'answered with a report it could not read'],
  ])('%s', (_, body, line) => {
    expect(describeCronReport(body)).toBe(line)
  })
})
