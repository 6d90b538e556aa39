import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 40, companies: 5, deals: 6, owners: 2, seed: 31 })

// Asynchronous: the sandbox runs in this process and must keep answering the CLI.
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync.ts', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })))
}

describe('npm run sync', () => {
  it('--dry-run --json reports what would change as one JSON object and writes nothing', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const r = await cli(['--connection', connection, '--dry-run', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(r.stdout)
    expect(summary).toMatchObject({ status: 'success', dryRun: true })
    expect(summary.objects.contacts).toMatchObject({ fetched: 40, created: 40, updated: 0, archived: 0, failed: 0, pushed: 0 })
    for (const key of ['apiCalls', 'unchanged', 'echoesSuppressed', 'conflicts']) expect(summary.objects.contacts).toHaveProperty(key)
    const [row] = await sql`select (select count(*)::int from contacts where tenant_id = ${tenant}) as contacts,
                                   (select count(*)::int from sync_runs where connection_id = ${connection}) as runs`
    expect(row).toEqual({ contacts: 0, runs: 0 })
  })

  it('--json after a real run: counts per object type, exit code 0', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const summary = JSON.parse((await cli(['--connection', connection, '--json'])).stdout)
    expect(summary.objects.contacts).toMatchObject({ created: 40, failed: 0 })
    expect(summary.objects.deals).toMatchObject({ created: 6 })
    const again = JSON.parse((await cli(['--connection', connection, '--json', '--objects', 'contacts'])).stdout)
    expect(Object.keys(again.objects)).toEqual(['contacts'])
    expect(again.objects.contacts).toMatchObject({ created: 0, updated: 0, pushed: 0 })
  })

  it('bad arguments exit 2 with a message naming the problem, and touch nothing', async () => {
    const r = await cli(['--connection', 'not-a-uuid'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--connection/)
    const unknown = await cli(['--objects', 'tickets'])
    expect(unknown.code).toBe(2)
    // Options the CLI does not know, or one missing its value, are bad arguments too.
    const bogus = await cli(['--bogus'])
    expect(bogus.code).toBe(2)
    expect(bogus.stderr).toMatch(/--bogus[\s\S]*Usage: npm run sync/)
    expect((await cli(['--connection'])).code).toBe(2)
  })

  it('--help prints the options and exits 0', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    for (const option of ['--connection', '--full', '--dry-run', '--json', '--objects']) expect(r.stdout).toContain(option)
  })
})
