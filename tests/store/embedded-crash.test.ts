import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { connect, type Sql } from '../../lib/store/db'
import { createTenant } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// "A crash at any point loses nothing", for the embedded database itself: `npm run dev`
// holds PGlite in its own process, with its files under .data/. That process killed with
// SIGKILL in the middle of a sync (no shutdown, no checkpoint) must open again on the same
// files, with whole batches only, and let the sync go on from its cursor. The sync commits
// its batches without waiting for the WAL flush (asSyncWriter), and PGlite has no WAL writer
// to flush them soon after, so the last batches seen committed may be gone after the kill:
// records, links and cursor together, so the next run fetches them again. An app's own
// write commits synchronously, which also makes every batch committed before it durable.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-crash-'))
const servers: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(servers.map((p) => p.exitCode === null && p.signalCode === null
    ? new Promise((r) => { p.once('exit', r); p.kill('SIGKILL') })
    : undefined))
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function serveDataDir(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/db-serve.ts'], {
    env: { ...process.env, SYNCLINE_DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'],
  })
  servers.push(proc)
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`db-serve exited with ${code} before it was ready`)))
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = line.match(/"url":"([^"]+)"/)
      if (m) resolve(m[1])
    })
  })
  return { proc, url }
}

const counts = async (sql: Sql, tenant: string, connection: string) => {
  const [row] = await sql`select
    (select count(*)::int from contacts where tenant_id = ${tenant}) as contacts,
    (select count(*)::int from crm_links where connection_id = ${connection}) as links,
    (select count(*)::int from crm_links l join contacts c on c.id = l.local_id where l.connection_id = ${connection}) as linked`
  return row
}

describe('the embedded database killed mid-sync', () => {
  it('opens again on its files with whole batches only (records, links and cursor together), and the next sync fetches just the rest', async () => {
    const sandbox = await testSandbox({ contacts: 3_000, owners: 2, seed: 23 })
    // Slow pages, so the kill lands between and inside batches rather than after the run.
    await control(sandbox, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'latency', rate: 1, ms: 40, match: '^GET /crm/v3/objects/contacts' }] })
    const first = await serveDataDir()
    const sql1 = connect(first.url, { max: 4 })
    const tenant = await createTenant(sql1)
    const connection = await sandboxConnection(sql1, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    const run = runSync(sql1, { connectionId: connection, trigger: 'manual' }).catch((e: unknown) => e)
    for (let i = 0; i < 600; i++) {
      if ((await counts(sql1, tenant, connection)).links >= 1_000) break
      await new Promise((r) => setTimeout(r, 50))
    }
    // An app's write commits synchronously: it survives, and so does every batch committed before it.
    const beforeAppWrite = (await counts(sql1, tenant, connection)).links
    const appTenant = await createTenant(sql1)
    await sql1`insert into contacts (tenant_id, email, source) values (${appTenant}, 'kept@example.com', 'manual')`
    const exited = new Promise((r) => first.proc.once('exit', r))
    first.proc.kill('SIGKILL')
    await exited
    await run // fails: its database went away
    await sql1.end({ timeout: 1 }).catch(() => {})

    const second = await serveDataDir()
    const sql = connect(second.url, { max: 4 })
    try {
      const after = await counts(sql, tenant, connection)
      // Whole batches only (500 records each), every record with its link.
      expect(after.links).toBeLessThan(3_000)
      expect(after.links % 500).toBe(0)
      expect(after).toEqual({ contacts: after.links, links: after.links, linked: after.links })
      expect(after.links).toBeGreaterThanOrEqual(beforeAppWrite)
      const [kept] = await sql`select count(*)::int as n from contacts where email = 'kept@example.com'`
      expect(kept.n).toBe(1)
      // The cursor committed with the last batch: the next run fetches only the rest.
      await sql`update crm_connections set sync_lease_until = now() - interval '1 second' where id = ${connection}`
      await control(sandbox, 'DELETE', '/faults')
      const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
      expect(summary.objects.contacts).toMatchObject({ fetched: 3_000 - after.links, created: 3_000 - after.links, failed: 0 })
      expect(await counts(sql, tenant, connection)).toEqual({ contacts: 3_000, links: 3_000, linked: 3_000 })
      const [runs] = await sql`select count(*)::int as n from sync_runs where connection_id = ${connection} and status = 'running'`
      expect(runs.n).toBe(0) // the dead run's rows were closed as interrupted
    } finally {
      await sql.end({ timeout: 1 })
    }
  }, 120_000)
})
