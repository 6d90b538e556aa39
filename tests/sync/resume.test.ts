import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { repEdit } from '../../sandbox/hubspot/control/rep'
import { runSync } from '../../lib/crm/sync-service'
import { WRITE_BATCH } from '../../lib/crm/pull/full'
import { INTERRUPTED_ERROR } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

const sql = testSql()

async function liveContacts(tenant: string): Promise<string[]> {
  const rows = await sql`select l.remote_id from contacts c join crm_links l on l.local_id = c.id
                          where c.tenant_id = ${tenant} and c.archived_at is null order by 1`
  return rows.map((r) => r.remote_id)
}

async function sandboxIds(sandbox: Awaited<ReturnType<typeof testSandbox>>): Promise<string[]> {
  const { results } = await control<{ results: { id: string }[] }>(sandbox, 'GET', '/records/contacts?limit=1000000')
  return results.map((r) => r.id).sort()
}

/**
 * `npm run sync` for a connection to a fresh 3,000-contact portal whose list calls are
 * slowed (so a signal lands mid-run), started once its first batch is in.
 */
async function cliMidRun(seed: number, args: string[] = [], latencyMs = 40) {
  const sandbox = await testSandbox({ contacts: 3_000, owners: 2, seed })
  await control(sandbox, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'latency', rate: 1, ms: latencyMs, match: '^GET /crm/v3/objects/contacts' }] })
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
  return { sandbox, tenant, connection, ...(await cliUntil(connection, async () => (await linkCount(connection)) >= 500, args)) }
}

async function linkCount(connection: string): Promise<number> {
  const [row] = await sql`select count(*)::int as n from crm_links where connection_id = ${connection}`
  return row.n
}

/** `npm run sync` for a connection, returned once `ready` says so. */
async function cliUntil(connection: string, ready: () => Promise<boolean>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync.ts', '--connection', connection, '--json', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') }, stdio: ['ignore', 'pipe', 'ignore'],
  })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  const exited = new Promise<number | null>((r) => child.once('exit', r))
  for (let i = 0; i < 600 && !(await ready()); i++) await new Promise((r) => setTimeout(r, 50))
  return { child, exited, stdout: () => stdout }
}

/** The connection's contact run rows' counts, summed. */
async function contactRunTotals(connection: string): Promise<{ fetched: number; created: number; pushed: number }> {
  const [row] = await sql`select coalesce(sum(fetched), 0)::int as fetched, coalesce(sum(created), 0)::int as created,
                                 coalesce(sum(pushed), 0)::int as pushed
                            from sync_runs where connection_id = ${connection} and object_type = 'contact'`
  return { fetched: row.fetched, created: row.created, pushed: row.pushed }
}

describe('past the 10,000-result search cap', () => {
  it('more than 10,000 changes since the watermark all arrive', async () => {
    const sandbox = await testSandbox({ contacts: 10_250, owners: 3, seed: 3 })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    await runSync(sql, { connectionId: connection, trigger: 'manual' })
    const ids = await sandboxIds(sandbox)
    for (const id of ids) repEdit(sandbox.state, 'contacts', id, { jobtitle: `Cap test ${id}` })
    // The sandbox gives every write its own millisecond, so 10k edits in a burst run ahead
    // of the wall clock and stay invisible to search until that time comes: let it pass.
    await control(sandbox, 'POST', '/clock', { advanceMs: 60_000 })
    await control(sandbox, 'DELETE', '/stats')
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts, JSON.stringify(summary.objects.contacts)).toMatchObject({ updated: 10_250, failed: 0 })
    const [row] = await sql`select count(*)::int as n from contacts where tenant_id = ${tenant} and job_title like 'Cap test %'`
    expect(row.n).toBe(10_250)
    // Paging past 10,000 would have answered 400 and failed the run; the window moved instead.
    const stats = await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')
    expect(stats.calls['POST /crm/v3/objects/contacts/search']).toBeGreaterThanOrEqual(Math.ceil(10_250 / 200))
  })
})

describe('changes during a run', () => {
  it('a record changed mid-run, after its page was read, arrives by the next run', async () => {
    const sandbox = await testSandbox({ contacts: 1_200, owners: 2, seed: 5 })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    const [first] = await sandboxIds(sandbox)
    let pages = 0
    await runSync(sql, {
      connectionId: connection, trigger: 'manual',
      onProgress: (p) => {
        // After the first batch (holding `first`) is written, before the run ends.
        if (p.objectType === 'contact' && ++pages === 1) repEdit(sandbox.state, 'contacts', first, { jobtitle: 'Changed mid-run' })
      },
    })
    await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    const [row] = await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id
                             where l.connection_id = ${connection} and l.remote_id = ${first}`
    expect(row.job_title).toBe('Changed mid-run')
  })
})

describe('crash safety', () => {
  it('a run that dies mid-way resumes from the last committed page and ends exact', async () => {
    const sandbox = await testSandbox({ contacts: 2 * WRITE_BATCH + 700, owners: 2, seed: 9 })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    let pages = 0
    const first = await runSync(sql, {
      connectionId: connection, trigger: 'manual',
      onProgress: (p) => { if (p.objectType === 'contact' && ++pages === 2) throw new Error('power cut') },
    })
    expect(first.objects.contacts?.status).toBe('failed')
    const partial = (await liveContacts(tenant)).length
    expect(partial).toBe(2 * WRITE_BATCH) // two committed batches
    const second = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(second.objects.contacts?.fetched).toBe(700) // resumed, not restarted
    expect(await liveContacts(tenant)).toEqual(await sandboxIds(sandbox))
  })

  it('a sync process killed with SIGKILL mid-run, then restarted, ends with exactly the sandbox records', async () => {
    const { sandbox, tenant, connection, child, exited } = await cliMidRun(11)
    child.kill('SIGKILL')
    await exited
    // Embedded PGlite serves every client from one backend; give it a moment to roll back
    // the dead client's transaction before querying again.
    await new Promise((r) => setTimeout(r, 500))
    const afterKill = (await liveContacts(tenant)).length
    expect(afterKill).toBeGreaterThan(0)
    expect(afterKill).toBeLessThan(3_000)
    // The dead run's row says what it committed, no more, no less: each batch's counts commit with it.
    expect(await contactRunTotals(connection)).toMatchObject({ fetched: afterKill, created: afterKill })
    // The dead process's lease expires; a restart takes over once it has.
    await sql`update crm_connections set sync_lease_until = now() - interval '1 second' where id = ${connection}`
    await control(sandbox, 'DELETE', '/faults')
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(summary.status).toBe('success')
    expect(await liveContacts(tenant)).toEqual(await sandboxIds(sandbox))
    // The dead process's run rows were left open; the restart closed them as interrupted.
    const dead = await sql`select object_type, status, error from sync_runs where connection_id = ${connection} and run_group <> ${summary.runGroup}`
    expect(dead.length).toBeGreaterThan(0)
    for (const r of dead) if (r.object_type === 'contact') expect(r).toMatchObject({ status: 'failed', error: INTERRUPTED_ERROR })
    expect(dead.some((r) => r.status === 'running')).toBe(false)
    // Across the two runs, the rows add up to what was written.
    expect(await contactRunTotals(connection)).toMatchObject({ fetched: 3_000, created: 3_000 })
  })

  it('a push killed with SIGKILL mid-way leaves run rows whose pushed counts add up to the records created in HubSpot', async () => {
    const sandbox = await testSandbox({ contacts: 0, owners: 1, seed: 19 })
    // Slow creates (100 a call), so the kill lands mid-push: each call commits its links
    // (and its count) before the next goes, and the run's progress is saved (at most once a
    // second) after some of the calls.
    await control(sandbox, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'latency', rate: 1, ms: 500, match: '^POST /crm/v3/objects/contacts/batch/upsert' }] })
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'push', entities: { company: false, deal: false } })
    const rows = Array.from({ length: 1_300 }, (_, i) => ({ tenant_id: tenant, email: `push-kill-${i}-${connection.slice(0, 8)}@example.com`, first_name: `Kill ${i}` }))
    for (let i = 0; i < rows.length; i += 500) await sql`insert into contacts ${sql(rows.slice(i, i + 500))}`
    await control(sandbox, 'DELETE', '/stats')
    // Killed in the second round while its 4th call (the 9th) is out: the 8 calls before it
    // are committed, each with its links and its count.
    const upserts = async () => (await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')).calls['POST /crm/v3/objects/contacts/batch/upsert'] ?? 0
    const { child, exited } = await cliUntil(connection, async () => (await upserts()) >= 9)
    child.kill('SIGKILL')
    await exited
    await new Promise((r) => setTimeout(r, 500))
    const linked = await linkCount(connection)
    expect(linked).toBe(800)
    expect((await sandboxIds(sandbox)).length).toBeGreaterThanOrEqual(linked)
    // The dead run's row counts the calls it committed (their links), not the acks it never recorded.
    expect((await contactRunTotals(connection)).pushed).toBe(linked)
    await sql`update crm_connections set sync_lease_until = now() - interval '1 second' where id = ${connection}`
    await control(sandbox, 'DELETE', '/faults')
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(summary.status).toBe('success')
    // Creates the dead run sent but never recorded are sent again (an upsert by our id: no
    // duplicate) and counted by the run that recorded them.
    expect((await sandboxIds(sandbox)).length).toBe(1_300)
    expect((await contactRunTotals(connection)).pushed).toBe(1_300)
  })

  it('--max-seconds stops the CLI after the batch in flight once the time is up', async () => {
    // 30 list pages at 150 ms each: well past the second it is given.
    const { connection, exited, stdout } = await cliMidRun(17, ['--max-seconds', '1'], 150)
    expect(await exited).toBe(1)
    expect(JSON.parse(stdout())).toMatchObject({ status: 'partial', stopped: 'stopped at the time limit' })
    const rows = await sql`select status, error from sync_runs where connection_id = ${connection} and object_type = 'contact'`
    expect(rows).toEqual([{ status: 'partial', error: '[stopped] stopped at the time limit; the next sync goes on from here' }])
  })

  it('Ctrl-C stops the CLI after the batch in flight: exit 1, its runs partial, the lease free at once', async () => {
    const { sandbox, tenant, connection, child, exited, stdout } = await cliMidRun(13)
    child.kill('SIGINT')
    expect(await exited).toBe(1)
    const summary = JSON.parse(stdout())
    expect(summary).toMatchObject({ status: 'partial', stopped: 'stopped by SIGINT' })
    expect(summary.objects.contacts.error).toBe('[stopped] stopped by SIGINT; the next sync goes on from here')
    const kept = (await liveContacts(tenant)).length
    expect(kept % WRITE_BATCH).toBe(0)
    expect(kept).toBeLessThan(3_000)
    const rows = await sql`select status from sync_runs where connection_id = ${connection} and object_type = 'contact'`
    expect(rows.map((r) => r.status)).toEqual(['partial'])
    // No lease to wait out: the next run starts at once and goes on from the cursor.
    await control(sandbox, 'DELETE', '/faults')
    const next = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(next.status).toBe('success')
    expect(next.objects.contacts?.fetched).toBe(3_000 - kept)
    expect(await liveContacts(tenant)).toEqual(await sandboxIds(sandbox))
  })
})
