import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { pushUnlinked } from '../../lib/crm/push-unlinked'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// Rows the host app wrote before its tenant connected a CRM: no outbox entry was made (there was
// no connection), so the first sync only links those matching a CRM record by email or phone;
// the rest are sent when asked (pushUnlinked, `npm run sync -- --push-unlinked`), never on their own.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 1, deals: 1, owners: 1, seed: 43 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const remoteAll = async (type: string) => (await control<{ results: SandboxRecord[] }>(sandbox, 'GET', `/records/${type}?limit=100000`)).results
const remoteByEmail = async (email: string) => (await remoteAll('contacts')).filter((r) => r.properties.email === email)
const linkOf = async (connection: string, localId: string) =>
  (await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${localId}`)[0]?.remote_id as string | undefined
const outbox = async (connection: string) => (await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n as number

describe('app rows written before the CRM was connected', () => {
  it('the first sync links those matching by email and sends none; pushUnlinked queues the rest (a dry run only counts), and the next sync creates them once', async () => {
    const tenant = await createTenant(sql)
    const [crmContact] = await remoteAll('contacts')
    const email = () => `before-${randomUUID().slice(0, 8)}@example.com`
    const insert = async (fields: Record<string, unknown>) =>
      (await sql`insert into contacts ${sql({ tenant_id: tenant, first_name: 'Early', ...fields })} returning id`)[0].id as string
    const matching = await insert({ email: crmContact.properties.email!.toUpperCase(), job_title: 'Matched' })
    const [alone, other] = [email(), email()]
    const aloneId = await insert({ email: alone, job_title: 'Alone' })
    const otherId = await insert({ email: other })
    const archivedId = await insert({ email: email(), archived_at: new Date() })
    const [company] = await sql`insert into companies ${sql({ tenant_id: tenant, name: `Early Co ${randomUUID().slice(0, 6)}` })} returning id`

    const connection = await sandboxConnection(sql, sandbox, tenant)
    expect(await outbox(connection)).toBe(0)
    const first = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(first.status).toBe('success')
    // (a) The first sync links the app's row to the CRM's record of the same email; creates nothing.
    expect(await linkOf(connection, matching)).toBe(crmContact.id)
    expect(await remoteAll('contacts')).toHaveLength(3)
    expect(await remoteAll('companies')).toHaveLength(1)
    expect(await remoteByEmail(alone)).toEqual([])
    expect(await linkOf(connection, aloneId)).toBeUndefined()

    // (b) A dry run counts what would be queued and queues nothing.
    expect(await pushUnlinked(sql, connection, { dryRun: true })).toEqual({ companies: 1, contacts: 2, deals: 0 })
    expect(await outbox(connection)).toBe(0)
    // Only the types asked for.
    expect(await pushUnlinked(sql, connection, { objects: ['contact'] })).toEqual({ companies: 0, contacts: 2, deals: 0 })
    expect(await pushUnlinked(sql, connection)).toEqual({ companies: 1, contacts: 0, deals: 0 })
    expect(await outbox(connection)).toBe(3)

    const second = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(second.objects.contacts).toMatchObject({ pushed: 2, failed: 0 })
    expect(second.objects.companies).toMatchObject({ pushed: 1, failed: 0 })
    const [sent] = await remoteByEmail(alone)
    expect(sent.properties).toMatchObject({ jobtitle: 'Alone', firstname: 'Early' })
    expect(await linkOf(connection, aloneId)).toBe(sent.id)
    expect(await linkOf(connection, otherId)).toBeDefined()
    expect(await linkOf(connection, company.id)).toBeDefined()
    // The archived row stays in the app only, and nothing is left to queue.
    expect(await linkOf(connection, archivedId)).toBeUndefined()
    expect(await pushUnlinked(sql, connection)).toEqual({ companies: 0, contacts: 0, deals: 0 })
    expect(await outbox(connection)).toBe(0)
  })

  it('a pull-only connection refuses: it sends nothing to the CRM', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    await expect(pushUnlinked(sql, connection)).rejects.toThrow(/HubSpot → app only/)
  })
})
