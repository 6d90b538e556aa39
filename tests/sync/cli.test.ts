import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { sealCredentials } from '../../lib/crm/auth/credentials'
import { env } from '../../lib/env'
import { encryptSecret } from '../../lib/secrets'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { recordDevSandbox } from '../../scripts/dev-sandbox'
import { createTenant, testSql } from '../helpers/db'
import { runScript, type ScriptResult } from '../helpers/run-script'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 40, companies: 5, deals: 6, owners: 2, seed: 31 })
/** A port nothing listens on: where the CLI looks for `npm run dev`'s sandbox, unless a case says otherwise. */
const freePort = await new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo
    server.close(() => resolve(port))
  })
})
/**
 * The CLI's data dir: its own, so a `npm run dev` running in this checkout (which records its
 * sandbox in .data/) is not found; with this process's token key, to open the connections it seals.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-cli-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))
const tokenKey = process.env.TOKEN_ENCRYPTION_KEY
  ?? (encryptSecret('key file made'), fs.readFileSync(path.join(env().SYNCLINE_DATA_DIR, 'token-encryption.key'), 'utf8').trim())

// Asynchronous: the sandbox runs in this process and must keep answering the CLI.
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<ScriptResult> {
  // No CRM configured, as on a developer's machine (the tests' own environment may name one).
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HUBSPOT_|NANGO_SECRET_KEY)/.test(k)))
  return runScript('scripts/sync.ts', args, {
    ...base, DATABASE_URL: inject('databaseUrl'), HUBSPOT_SANDBOX_PORT: String(freePort), SYNCLINE_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: tokenKey, ...extraEnv,
  } as unknown as NodeJS.ProcessEnv)
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
    // Owners are counted as the real run would write them: all new here.
    expect(summary.objects.owners).toMatchObject({ fetched: 2, created: 2, updated: 0, unchanged: 0 })
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
    // A dry run after it counts the owners already stored as unchanged, as a real run does.
    const dry = JSON.parse((await cli(['--connection', connection, '--json', '--dry-run', '--objects', 'owners'])).stdout)
    expect(dry.objects.owners).toMatchObject({ fetched: 2, created: 0, updated: 0, unchanged: 2 })
  })

  it('bad arguments exit 2 with a message naming the problem, and touch nothing; --json still prints one object', async () => {
    const r = await cli(['--json', '--connection', 'not-a-uuid'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--connection/)
    expect(JSON.parse(r.stdout)).toEqual({ status: 'failed', error: expect.stringMatching(/^--connection: /), objects: {} })
    // Named as --help names them: the plural.
    const unknown = await cli(['--objects', 'contacts,tickets'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--objects: unknown object type "tickets": expected owners, companies, contacts, deals')
    expect(unknown.stdout).toBe('')
    // Options the CLI does not know, or one missing its value, are bad arguments too.
    const bogus = await cli(['--json', '--bogus'])
    expect(bogus.code).toBe(2)
    expect(bogus.stderr).toMatch(/--bogus[\s\S]*Usage: npm run sync/)
    expect(JSON.parse(bogus.stdout)).toEqual({ status: 'failed', error: expect.stringContaining('--bogus'), objects: {} })
    expect((await cli(['--connection'])).code).toBe(2)
  })

  it('--max-seconds -5 names the flag and the values it takes, exit 2 (not Node\'s "argument is ambiguous"); --json still prints one object', async () => {
    const accepted = '--max-seconds: must be a whole number of seconds from 1 to 604800 (a week)'
    for (const value of ['-5', '0', '1.5', 'abc']) {
      const r = await cli(['--max-seconds', value])
      expect([r.code, r.stdout], value).toEqual([2, ''])
      expect(r.stderr, value).toMatch(new RegExp(`^Invalid arguments: ${accepted.replace(/[()]/g, '\\$&')}\n\nUsage: npm run sync`))
    }
    const json = await cli(['--json', '--max-seconds', '-5'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({ status: 'failed', error: accepted, objects: {} })
  })

  it('--help acts on nothing: the usage, exit 0, before any database is opened', async () => {
    const r = await cli(['--help', '--push-unlinked', '--max-seconds', '-5'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toMatch(/^Usage: npm run sync/)
  })

  it('--help prints the options and exits 0', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    for (const option of ['--connection', '--full', '--dry-run', '--json', '--objects']) expect(r.stdout).toContain(option)
    expect(r.stdout).toContain('(owners, companies, contacts, deals)')
  })

  it('a connection named that does not exist, or is disconnected, exits 2 with the reason, and --json still prints one object', async () => {
    const missing = await cli(['--connection', '00000000-0000-4000-8000-000000000000', '--json'])
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stdout)).toMatchObject({ status: 'failed', error: expect.stringMatching(/no connection 00000000/) })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sql`update crm_connections set status = 'disconnected' where id = ${connection}`
    const gone = await cli(['--connection', connection])
    expect(gone.code).toBe(2)
    expect(gone.stderr).toMatch(/is disconnected/)
    expect((await sql`select count(*)::int as n from sync_runs where connection_id = ${connection}`)[0].n).toBe(0)
  })

  it('a bad setting (HUBSPOT_SANDBOX_PORT=abc) exits 3 naming it, and --json still prints one object', async () => {
    const r = await cli(['--json'], { HUBSPOT_SANDBOX_PORT: 'abc' })
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: expect.stringMatching(/HUBSPOT_SANDBOX_PORT: must be a port number/), objects: {} })
  })

  it('with none named, a connection disconnected in the dashboard stays disconnected: exit 2 saying so, nothing synced, even with HUBSPOT_ACCESS_TOKEN set', async () => {
    // The CLI syncs the local workspace; no other file leaves a connection there (each resets it).
    await sql`delete from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    const connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID)
    // As the dashboard leaves one made by OAuth and then disconnected.
    await sql`update crm_connections set api_base_url = null, auth_method = 'oauth', status = 'disconnected',
                     status_reason = 'disconnected by a user', credentials_encrypted = null where id = ${connection}`
    const state = () => sql`select status, auth_method, credentials_encrypted is null as wiped,
                                   (select count(*)::int from crm_connections where tenant_id = ${LOCAL_TENANT_ID}) as connections,
                                   (select count(*)::int from sync_runs where tenant_id = ${LOCAL_TENANT_ID}) as runs
                              from crm_connections where id = ${connection}`
    const before = await state()
    expect(before).toEqual([{ status: 'disconnected', auth_method: 'oauth', wiped: true, connections: 1, runs: 0 }])
    // `npm run dev`'s sandbox running (it takes the sandbox's token), or a private-app token set: neither brings it back.
    for (const env of [{ HUBSPOT_SANDBOX_PORT: new URL(sandbox.url).port }, { HUBSPOT_ACCESS_TOKEN: sandbox.token, HUBSPOT_API_BASE_URL: sandbox.url }] as Record<string, string>[]) {
      const r = await cli(['--json'], env)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(/disconnected in the dashboard[\s\S]*Connect/)
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: expect.stringContaining(connection) })
      expect(await state()).toEqual(before)
    }
    // With no connection at all, one is still made (against the sandbox standing in).
    await sql`delete from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
    const fresh = await cli(['--json', '--dry-run', '--objects', 'owners'], { HUBSPOT_SANDBOX_PORT: new URL(sandbox.url).port })
    expect(fresh.code, fresh.stderr).toBe(0)
    expect(await sql`select status, auth_method from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`).toEqual([{ status: 'active', auth_method: 'private_app' }])
    await sql`delete from crm_connections where tenant_id = ${LOCAL_TENANT_ID}`
  })

  it("a connection made in the dashboard (no base URL of its own) syncs against the sandbox `npm run dev` serves, not HubSpot's API", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sql`update crm_connections set api_base_url = null where id = ${connection}`
    const r = await cli(['--connection', connection, '--json'], { HUBSPOT_SANDBOX_PORT: new URL(sandbox.url).port })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).objects.contacts).toMatchObject({ created: 40, failed: 0 })
  })

  it("`npm run dev`'s sandbox on another port (HUBSPOT_SANDBOX_PORT set for dev, not here) is found where dev records it, and an OAuth connection syncs against it", async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sql`update crm_connections set api_base_url = null, auth_method = 'oauth' where id = ${connection}`
    // As scripts/dev.ts records it (startDevSandbox), this process standing in for dev's.
    const forget = recordDevSandbox(dataDir, sandbox.url)
    try {
      const r = await cli(['--connection', connection, '--json'])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).objects.contacts).toMatchObject({ created: 40, failed: 0 })
    } finally {
      await forget()
    }
  })

  it('an OAuth connection made in the dashboard, with `npm run dev` not running, is refused with what to do, and left as it was', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sql`update crm_connections set api_base_url = null, auth_method = 'oauth' where id = ${connection}`
    const r = await cli(['--connection', connection, '--json'])
    expect(r.code).toBe(3)
    // Naming the port looked at and the variable that moves it: dev may run on another.
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: expect.stringMatching(new RegExp(`npm run dev[\\s\\S]*port ${freePort}[\\s\\S]*HUBSPOT_SANDBOX_PORT`)) })
    expect(await sql`select status, (select count(*)::int from sync_runs where connection_id = ${connection}) as runs from crm_connections where id = ${connection}`)
      .toEqual([{ status: 'active', runs: 0 }])
  })

  // A connection made in the dashboard stores no base URL in production either: run against the
  // production database from a shell naming no CRM, its calls went to a sandbox, which refused its
  // token, and the connection was marked as needing to reconnect.
  it.each([
    ['the sandbox `npm run dev` serves', () => ({ HUBSPOT_SANDBOX_PORT: new URL(sandbox.url).port })],
    ['a sandbox started for the command', () => ({})],
  ])("a real portal's connection (no base URL of its own) is not synced against %s: exit 3 naming the settings, the connection left as it was", async (_name, extraEnv) => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sql`update crm_connections set api_base_url = null, portal_id = '987654321',
              credentials_encrypted = ${sealCredentials({ type: 'private_app', accessToken: 'pat-na1-a-real-portals-token' })} where id = ${connection}`
    const r = await cli(['--connection', connection, '--json'], extraEnv())
    expect(r.code, r.stderr).toBe(3)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: expect.stringMatching(/portal 987654321[\s\S]*HUBSPOT_API_BASE_URL=https:\/\/api\.hubapi\.com[\s\S]*Nothing was synced/) })
    expect(await sql`select status, (select count(*)::int from sync_runs where connection_id = ${connection}) as runs,
                     (select count(*)::int from contacts where tenant_id = ${tenant}) as contacts from crm_connections where id = ${connection}`)
      .toEqual([{ status: 'active', runs: 0, contacts: 0 }])
  })

  // Last: it creates a contact in the portal the other cases count.
  it("--push-unlinked sends the app's rows written before the CRM was connected (--dry-run only counts them)", async () => {
    const tenant = await createTenant(sql)
    const email = `early-${Date.now()}@example.com`
    const [row] = await sql`insert into contacts ${sql({ tenant_id: tenant, email, first_name: 'Early' })} returning id`
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const linked = async () => (await sql`select count(*)::int as n from crm_links where connection_id = ${connection} and local_id = ${row.id}`)[0].n
    const dry = await cli(['--connection', connection, '--push-unlinked', '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(JSON.parse(dry.stdout).pushUnlinked).toEqual({ companies: 0, contacts: 1, deals: 0 })
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n).toBe(0)
    const r = await cli(['--connection', connection, '--push-unlinked'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Queued 1 unlinked app record to create in the CRM (companies 0, contacts 1, deals 0)')
    expect(await linked()).toBe(1)
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n).toBe(0)
  })
})
