import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { recordedDevSandbox, startDevSandbox } from '../../scripts/dev-sandbox'
import { freePort } from '../helpers/ports'

// `npm run dev` records where its sandbox listens in the data dir, so `npm run sync` finds
// it on whatever port HUBSPOT_SANDBOX_PORT gave it (scripts/sync-target.ts devSandboxUrl).

afterEach(() => vi.unstubAllEnvs())


describe("the dev sandbox's record", () => {
  it('startDevSandbox records its URL in the data dir while it runs; stopping removes the record', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-record-')), 'data')
    const port = await freePort()
    for (const k of ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_API_BASE_URL', 'SYNCLINE_DEV_HOST']) vi.stubEnv(k, '')
    vi.stubEnv('HUBSPOT_SANDBOX_PORT', String(port))
    vi.stubEnv('HUBSPOT_SANDBOX_CONTACTS', '4')
    const cleanups: Array<() => Promise<void>> = []
    try {
      await startDevSandbox({ appUrl: 'http://localhost:3000', cleanups, dataDir })
      expect(recordedDevSandbox(dataDir)).toBe(`http://127.0.0.1:${port}`)
    } finally {
      for (const c of cleanups.reverse()) await c()
    }
    expect(recordedDevSandbox(dataDir)).toBeUndefined()
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true })
  })

  it("a record left by a dev that is gone (killed before it could remove it) is not followed", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-record-'))
    const child = spawn(process.execPath, ['-e', ''])
    const pid = child.pid!
    await new Promise((r) => child.once('exit', r))
    fs.writeFileSync(path.join(dataDir, 'sandbox.json'), JSON.stringify({ url: 'http://127.0.0.1:4999', pid }))
    expect(recordedDevSandbox(dataDir)).toBeUndefined()
    fs.writeFileSync(path.join(dataDir, 'sandbox.json'), JSON.stringify({ url: 'http://127.0.0.1:4999', pid: process.pid }))
    expect(recordedDevSandbox(dataDir)).toBe('http://127.0.0.1:4999')
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
})
