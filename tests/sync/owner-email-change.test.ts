import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { refreshCrm } from '../../lib/crm/refresh'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// Records carry their owner's email (owner_email: the leads list shows it, host apps read
// it). The pull writes a record only when HubSpot changed it, so an owner whose email an
// admin changed used to keep the old one on every record until each next changed there.

const sql = testSql()
const portal = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 93 })
const uniq = () => randomUUID().slice(0, 8)
const refresh = (tenantId: string, connectionId: string) => refreshCrm(sql, tenantId, { connectionId }, new AbortController().signal)
const TABLES = ['contacts', 'companies', 'deals'] as const

/** A rep's contact, company and deal owned by `ownerId`. */
async function ownedRecords(ownerId: string) {
  const tag = uniq()
  await control(portal, 'POST', '/rep/contacts', { properties: { email: `lead-${tag}@example.com`, firstname: 'Lead', hubspot_owner_id: ownerId } })
  await control(portal, 'POST', '/rep/companies', { properties: { name: `Acme ${tag}`, domain: `acme-${tag}.example`, hubspot_owner_id: ownerId } })
  await control(portal, 'POST', '/rep/deals', { properties: { dealname: `Deal ${tag}`, dealstage: 'appointmentscheduled', pipeline: 'default', hubspot_owner_id: ownerId } })
}

interface Row { id: string; owner_id: string | null; owner_email: string | null; updated_at: Date }

/** Each table's live rows of the tenant: owner and email, and updated_at (the app's last edit). */
const rowsOf = async (tenantId: string): Promise<Record<string, Row[]>> => Object.fromEntries(await Promise.all(TABLES.map(async (table) =>
  [table, await sql.unsafe(`select id, owner_id, owner_email, updated_at from public.${table} where tenant_id = $1 and archived_at is null order by id`, [tenantId])])))

describe("an owner's changed email reaches the records it owns", () => {
  it('Refresh: every live record of the owner shows the new email, in this tenant only; nothing is pushed, nothing dated as an edit', async () => {
    const before = `rep-${uniq()}@example.com`
    const owner = await control<{ id: string }>(portal, 'POST', '/owners', { email: before, firstName: 'Rep' })
    await ownedRecords(owner.id)
    const tenant = await createTenant(sql)
    const other = await createTenant(sql)
    const A = await sandboxConnection(sql, portal, tenant)
    // Another tenant's connection to the same portal: the same HubSpot owner id, its own owners row.
    const B = await sandboxConnection(sql, portal, other)
    await refresh(tenant, A)
    // A lead the host app gave that owner itself (not from HubSpot): pushed with the owner on this Refresh.
    const [ownerRow] = await sql`select id from owners where connection_id = ${A} and remote_id = ${owner.id}`
    await sql`insert into contacts (tenant_id, source, email, first_name, owner_id) values (${tenant}, 'manual', ${`app-${uniq()}@example.com`}, 'App', ${ownerRow.id})`
    await refresh(tenant, A)
    await refresh(other, B)
    const mine = await rowsOf(tenant)
    const theirs = await rowsOf(other)
    for (const table of TABLES) {
      expect(mine[table].length, table).toBeGreaterThan(0)
      expect(mine[table].every((r) => r.owner_id === ownerRow.id && r.owner_email === before), table).toBe(true)
      expect(theirs[table].every((r) => r.owner_email === before), table).toBe(true)
    }
    expect(mine.contacts).toHaveLength(2)

    const after = `renamed-${uniq()}@example.com`
    await control(portal, 'PATCH', `/owners/${owner.id}`, { email: after })
    await control(portal, 'DELETE', '/stats')
    const [run] = await refresh(tenant, A)
    expect(run.status).toBe('success')

    const now = await rowsOf(tenant)
    for (const table of TABLES) {
      // The new email; the same owner, and updated_at as it was: not an edit of the record.
      expect(now[table], table).toEqual(mine[table].map((r) => ({ ...r, owner_email: after })))
      // The other tenant's rows, whose owner is their own connection's row: untouched until it refreshes.
      expect(await rowsOf(other).then((r) => r[table]), table).toEqual(theirs[table])
    }
    // Nothing queued for HubSpot, and nothing sent: the Refresh only read.
    expect(await sql`select local_id, changed_fields from crm_outbox where tenant_id in ${sql([tenant, other])}`).toEqual([])
    const stats = await control<{ calls: Record<string, number> }>(portal, 'GET', '/stats')
    const writes = Object.keys(stats.calls).filter((call) => !call.startsWith('GET ') && !/\/(search|batch\/read)$/.test(call))
    expect(writes).toEqual([])

    // The other tenant's Refresh brings it there too.
    await refresh(other, B)
    for (const table of TABLES) expect((await rowsOf(other))[table].every((r) => r.owner_email === after), table).toBe(true)
  })
})
