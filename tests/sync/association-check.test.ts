import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkAssociations } from '../../lib/crm/pull/association-check'
import { pageContext } from '../../lib/crm/pull/apply-page'
import { parseSettings } from '../../lib/crm/settings'
import { adapterForConnection, runSync } from '../../lib/crm/sync-service'
import { getConnection } from '../../lib/store/connections'
import { emptyCounts } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// HubSpot does not move a record's last-modified time when only its associations change,
// and neither does the sandbox: the incremental search misses such a change. The daily
// association check finds it (lib/crm/pull/association-check.ts).

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 1, deals: 0, owners: 1, seed: 31 })
const sync = (connectionId: string) => runSync(sql, { connectionId, trigger: 'manual' })
const uniq = () => randomUUID().slice(0, 8)

describe('association check', () => {
  it('brings association-only changes the incremental search cannot see, once a day, reading only what moved', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    const company = (name: string) => control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `${name} ${uniq()}`, domain: `${name}-${uniq()}.test` } })
    const contact = (name: string) => control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `${name}-${uniq()}@example.com` } })
    const [a, b] = [await company('a'), await company('b')]
    const [first, second] = [await contact('first'), await contact('second')]
    const deal = await control<{ id: string }>(sandbox, 'POST', '/rep/deals', { properties: { dealname: `Deal ${uniq()}`, dealstage: 'appointmentscheduled', pipeline: 'default' } })
    await control(sandbox, 'PUT', `/rep/associations/contacts/${first.id}/companies/${a.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/companies/${a.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/contacts/${first.id}`)
    await sync(connection)
    const localOf = async (remoteId: string) => (await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`)[0].local_id as string
    const [firstLocal, secondLocal, dealLocal, aLocal, bLocal] = [await localOf(first.id), await localOf(second.id), await localOf(deal.id), await localOf(a.id), await localOf(b.id)]
    const companyOf = async (table: 'contacts' | 'deals', id: string) => (await sql.unsafe(`select company_id from ${table} where id = $1`, [id]))[0].company_id
    const dealContacts = async () => (await sql`select contact_id from deal_contacts where deal_id = ${dealLocal}`).map((r) => r.contact_id)
    expect(await companyOf('contacts', firstLocal)).toBe(aLocal)
    expect(await dealContacts()).toEqual([firstLocal])

    // A rep moves associations only: nothing's last-modified time moves.
    await control(sandbox, 'DELETE', `/rep/associations/contacts/${first.id}/companies/${a.id}`)
    await control(sandbox, 'PUT', `/rep/associations/contacts/${first.id}/companies/${b.id}`)
    await control(sandbox, 'DELETE', `/rep/associations/deals/${deal.id}/companies/${a.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/companies/${b.id}`)
    await control(sandbox, 'DELETE', `/rep/associations/deals/${deal.id}/contacts/${first.id}`)
    await control(sandbox, 'PUT', `/rep/associations/deals/${deal.id}/contacts/${second.id}`)
    const before = await sync(connection)
    expect(before.objects.contacts).toMatchObject({ updated: 0 })
    expect(await companyOf('contacts', firstLocal)).toBe(aLocal)

    // A day later the check is due: the two records that moved are read and written.
    const dayLater = () => sql`update sync_cursors set associations_checked_at = now() - interval '25 hours' where connection_id = ${connection}`
    await dayLater()
    const checked = await sync(connection)
    expect(checked.objects.contacts).toMatchObject({ updated: 1, failed: 0 })
    expect(checked.objects.deals).toMatchObject({ updated: 1, failed: 0 })
    expect(await companyOf('contacts', firstLocal)).toBe(bLocal)
    expect(await companyOf('deals', dealLocal)).toBe(bLocal)
    expect(await dealContacts()).toEqual([secondLocal])
    // Nothing to push back, and the links now remember what the CRM has.
    for (const o of Object.values((await sync(connection)).objects)) expect(o).toMatchObject({ updated: 0, pushed: 0, failed: 0 })

    // Checked again with nothing moved: association reads only, nothing written.
    const calls = async () => {
      const r = await sync(connection)
      return { contacts: r.objects.contacts!.apiCalls, deals: r.objects.deals!.apiCalls, updated: r.objects.contacts!.updated + r.objects.deals!.updated }
    }
    const idle = await calls()
    await dayLater()
    const again = await calls()
    expect(again.updated).toBe(0)
    expect(again.contacts - idle.contacts).toBe(1) // contacts → companies
    expect(again.deals - idle.deals).toBe(2) // deals → companies, deals → contacts
  })

  it('resumes a check cut short where it stopped', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant)
    await sync(connection)
    await sync(connection) // the first incremental run starts the check's clock
    const links = (await sql`select remote_id, local_id from crm_links where connection_id = ${connection} and object_type = 'contact' order by remote_id`)
      .map((r) => ({ remoteId: r.remote_id as string, localId: r.local_id as string }))
    expect(links.length).toBeGreaterThan(1)
    const [head, tail] = [links[0], links.at(-1)!]
    // Both the first and the last contact move to a new company, associations only.
    const moved = await control<{ id: string }>(sandbox, 'POST', '/rep/companies', { properties: { name: `Moved ${uniq()}`, domain: `moved-${uniq()}.test` } })
    for (const c of [head, tail]) await control(sandbox, 'PUT', `/rep/associations/contacts/${c.remoteId}/companies/${moved.id}`)
    // A check stopped after the first link goes on from the second: the last is brought, the first waits for the next check.
    await sql`update sync_cursors set associations_after = ${head.remoteId} where connection_id = ${connection} and object_type = 'contact'`
    const checkedBefore = (await sql`select associations_checked_at from sync_cursors where connection_id = ${connection} and object_type = 'contact'`)[0].associations_checked_at as Date
    expect((await sync(connection)).objects.contacts).toMatchObject({ updated: 1, failed: 0 })
    const companyOf = async (id: string) => (await sql`select company_id from contacts where id = ${id}`)[0].company_id
    const movedLocal = (await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${moved.id}`)[0].local_id
    expect(await companyOf(tail.localId)).toBe(movedLocal)
    expect(await companyOf(head.localId)).not.toBe(movedLocal)
    const [row] = await sql`select associations_after, associations_checked_at from sync_cursors where connection_id = ${connection} and object_type = 'contact'`
    expect(row.associations_after).toBeNull()
    expect((row.associations_checked_at as Date).getTime()).toBeGreaterThan(checkedBefore.getTime())
  })

  it("checks at most a run's share of the records, and the next run goes on from there", async () => {
    const tenant = await createTenant(sql)
    const connectionId = await sandboxConnection(sql, sandbox, tenant)
    await sync(connectionId)
    await sync(connectionId)
    await sql`update sync_cursors set associations_checked_at = now() - interval '25 hours' where connection_id = ${connectionId}`
    const links = (await sql`select remote_id from crm_links where connection_id = ${connectionId} and object_type = 'contact' order by remote_id`).map((r) => r.remote_id as string)
    expect(links.length).toBeGreaterThan(2)
    const connection = (await getConnection(sql, connectionId))!
    const settings = parseSettings(connection.settings)
    const adapter = adapterForConnection(sql, connection, settings)
    const ctx = pageContext(sql, connection, settings, 'contact', { counts: emptyCounts(), errors: [] })
    const check = async () => {
      const calls = adapter.apiCalls()
      await checkAssociations(ctx, adapter, 24, async () => {}, { batch: 1, steps: 2 })
      const [row] = await sql`select associations_after from sync_cursors where connection_id = ${connectionId} and object_type = 'contact'`
      return { after: row.associations_after, calls: adapter.apiCalls() - calls }
    }
    // Two steps of one record each a run, each run going on where the last stopped, until
    // every link was checked once.
    expect(await check()).toEqual({ after: links[1], calls: 2 })
    let [calls, runs] = [2, 1]
    for (;;) {
      const r = await check()
      calls += r.calls
      runs++
      if (r.after === null) break
      expect(r.after).toBe(links[runs * 2 - 1])
    }
    expect(calls).toBe(links.length)
    expect(runs).toBe(Math.floor(links.length / 2) + 1)
    expect(await check()).toEqual({ after: null, calls: 0 }) // done for the day
  })
})
