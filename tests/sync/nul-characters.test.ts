import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// HubSpot keeps a NUL (\u0000) a rep typed or pasted; Postgres cannot hold one, so a record
// carrying one failed on every sync ("unsupported Unicode escape sequence"). The pull drops it.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 0, deals: 0, owners: 1, seed: 61 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }

describe('a NUL character in a HubSpot value', () => {
  it('is dropped by the pull: the record lands, in a mapped field and in an extra property alike', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0, extraProperties: { contact: ['city'] } })
    await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['contact'] })
    const [target] = (await control<{ results: SandboxRecord[] }>(sandbox, 'GET', '/records/contacts?limit=1')).results
    await control(sandbox, 'PATCH', `/rep/contacts/${target.id}`, { properties: { jobtitle: 'Head\u0000 of Ops', city: 'Ly\u0000on' } })

    const summary = await runSync(sql, { connectionId: connection, trigger: 'cli', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ updated: 1, failed: 0 })
    const [row] = await sql`select c.job_title, c.crm_properties from contacts c join crm_links l on l.local_id = c.id
                            where l.connection_id = ${connection} and l.remote_id = ${target.id}`
    expect(row).toEqual({ job_title: 'Head of Ops', crm_properties: { city: 'Lyon' } })
    expect(await sql`select 1 from sync_retries where connection_id = ${connection}`).toHaveLength(0)
  })
})
