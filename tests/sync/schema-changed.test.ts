import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { latestRunsByType } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// The host app changes its own tables under Syncline: a mapped column renamed or dropped.
// The run fails at once with what to do (not retried as a passing network fault), and no app
// edit is acknowledged and lost meanwhile. The tests alter the run's own test database (one
// per run, files one at a time: see vitest.config.ts) and put the column back in `finally`.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, companies: 1, deals: 1, owners: 1, seed: 41 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const remoteRecord = (id: string) => control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${id}`)
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual', objects: ['contact'] })
const outbox = async (connection: string) => (await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n as number

async function pulledCto() {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant)
  const created = await control<SandboxRecord>(sandbox, 'POST', '/rep/contacts', { properties: { email: `cto-${randomUUID().slice(0, 8)}@example.com`, jobtitle: 'CTO' } })
  await runSync(sql, { connectionId: connection, trigger: 'manual' })
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${created.id}`
  return { tenant, connection, localId: link.local_id as string, remoteId: created.id }
}

describe("the app's schema changed under the sync", () => {
  it('a renamed mapped column fails the run with what to do, and the edit made meanwhile is sent once it is back', async () => {
    const { tenant, connection, localId, remoteId } = await pulledCto()
    await sql`alter table contacts rename column job_title to title`
    try {
      // The app goes on writing under its new name.
      await sql`update contacts set title = 'Chief' where id = ${localId}`
      const run = await sync(connection)
      expect(run.objects.contacts?.status).toBe('failed')
      expect(run.objects.contacts?.error).toMatch(/^\[schema\] the app's schema changed: column contacts\.job_title does not exist/)
      expect(run.objects.contacts?.error).toContain('restore')
      // Told by the catalog before a call to HubSpot: retrying every cron tick costs one query.
      expect(run.objects.contacts?.apiCalls).toBe(0)
      // Shown on the dashboard as the contacts' last run.
      const shown = (await latestRunsByType(sql, tenant, connection)).find((r) => r.objectType === 'contact')
      expect(shown).toMatchObject({ status: 'failed' })
      expect(shown?.error).toContain('column contacts.job_title does not exist')
      expect(await outbox(connection)).toBe(1)
    } finally {
      await sql`alter table contacts rename column title to job_title`
    }
    const run = await sync(connection)
    expect(run.objects.contacts).toMatchObject({ status: 'success', failed: 0 })
    expect((await remoteRecord(remoteId)).properties.jobtitle).toBe('Chief')
    const [row] = await sql`select job_title from contacts where id = ${localId}`
    expect(row.job_title).toBe('Chief')
    expect(await outbox(connection)).toBe(0)
  })

  it('a dropped mapped column fails the run as a schema change, keeping the queued edits', async () => {
    const { connection, localId, remoteId } = await pulledCto()
    await sql`update contacts set job_title = 'Chief' where id = ${localId}`
    await sql`alter table contacts drop column description`
    try {
      const run = await sync(connection)
      expect(run.status).toBe('failed')
      expect(run.objects.contacts?.error).toMatch(/^\[schema\] the app's schema changed: column contacts\.description does not exist/)
      expect(await outbox(connection)).toBe(1)
    } finally {
      await sql`alter table contacts add column description text`
    }
    expect((await sync(connection)).objects.contacts).toMatchObject({ status: 'success', failed: 0 })
    expect((await remoteRecord(remoteId)).properties.jobtitle).toBe('Chief')
    expect(await outbox(connection)).toBe(0)
  })
})
