import { describe, expect, it } from 'vitest'
import { defaultConflictConfig } from '../../lib/crm/conflicts/config'
import { applyNormalizedPage, type PageContext } from '../../lib/crm/pull/apply-page'
import { WRITE_BATCH } from '../../lib/crm/pull/full'
import { emptyCounts } from '../../lib/store/runs'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// A full sync writes two batches at once (each in its own transaction). These prove the
// outcome is still the sequential one where the two could step on each other.
const sql = testSql()
const sandbox = await testSandbox({ contacts: WRITE_BATCH * 2 + 100, companies: 0, deals: 0, owners: 2, seed: 11 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }

describe('full sync: batches written side by side', () => {
  it('a manual lead whose phone two CRM records in different batches share is linked once; the other record is created', async () => {
    const all = (await control<{ results: SandboxRecord[] }>(sandbox, 'GET', '/records/contacts?limit=100000')).results
      .sort((a, b) => Number(a.id) - Number(b.id))
    const first = all[10]
    const second = all[WRITE_BATCH + 10] // listed in the next batch
    for (const r of [first, second]) {
      await control(sandbox, 'PATCH', `/rep/contacts/${r.id}`, { properties: { phone: '+1 415 555 0123' } })
    }
    const tenant = await createTenant(sql)
    const [lead] = await sql`insert into contacts (tenant_id, first_name, phone, source)
                             values (${tenant}, 'Walk-in', '+14155550123', 'manual') returning id`
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })

    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })

    expect(summary.status).toBe('success')
    expect(summary.objects.contacts).toMatchObject({ fetched: all.length, created: all.length - 1, failed: 0 })
    const links = await sql`select remote_id from crm_links where connection_id = ${connection} and local_id = ${lead.id}`
    expect(links.map((l) => l.remote_id)).toEqual([first.id])
    const [secondLocal] = await sql`select c.source, c.phone from crm_links l join contacts c on c.id = l.local_id
                                     where l.connection_id = ${connection} and l.remote_id = ${second.id}`
    expect(secondLocal).toEqual({ source: 'crm', phone: '+14155550123' })
    const [n] = await sql`select count(*)::int as n from contacts where tenant_id = ${tenant} and archived_at is null`
    expect(n.n).toBe(all.length)
    const [cursor] = await sql`select initial_done, checkpoint from sync_cursors where connection_id = ${connection} and object_type = 'contact'`
    expect(cursor.initial_done).toBe(true)
  })

  it('a record whose only candidate a batch in flight has claimed is created, as it would be once that batch linked it', async () => {
    const tenant = await createTenant(sql)
    const [lead] = await sql`insert into contacts (tenant_id, first_name, phone, source)
                             values (${tenant}, 'Walk-in', '+14155550199', 'manual') returning id`
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
    const ctx: PageContext = {
      sql, tenantId: tenant, connectionId: connection, type: 'contact', conflicts: defaultConflictConfig,
      defaultCountry: 'US', dryRun: false, counts: emptyCounts(), errors: [], companies: true, extraProperties: [],
    }
    const record = (remoteId: string) => ({
      remoteId, fields: { phone: '+14155550199', firstName: `R${remoteId}` }, updatedAt: new Date(), createdAt: new Date(), archived: false,
    })
    const planned: string[][] = []
    const track = (claimed: Set<string>) => ({ claimed, onPlanned: (ids: string[]) => { planned.push(ids) } })

    await applyNormalizedPage(ctx, [record('900001')], async () => {}, track(new Set([lead.id])))
    await applyNormalizedPage(ctx, [record('900002')], async () => {}, track(new Set()))

    // Claimed elsewhere: created. Free: matched by phone, and reported as this batch's claim.
    expect(planned).toEqual([[], [lead.id]])
    const rows = await sql`select l.remote_id, c.id = ${lead.id} as is_lead, c.source from crm_links l join contacts c on c.id = l.local_id
                            where l.connection_id = ${connection} order by l.remote_id`
    expect(rows).toEqual([{ remote_id: '900001', is_lead: false, source: 'crm' }, { remote_id: '900002', is_lead: true, source: 'manual' }])
  })

  it('a run that fails while a batch is in flight returns only once that batch has settled, and the next run ends exact', async () => {
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', entities: { company: false, deal: false } })
    const live = async () => (await sql`select count(*)::int as n from contacts where tenant_id = ${tenant}`)[0].n as number
    let pages = 0
    const first = await runSync(sql, {
      connectionId: connection, trigger: 'manual',
      // Thrown between batches: the second batch is being written at that moment.
      onProgress: (p) => { if (p.objectType === 'contact' && ++pages === 2) throw new Error('power cut') },
    })
    expect(first.objects.contacts?.status).toBe('failed')
    const atReturn = await live()
    await new Promise((r) => setTimeout(r, 300))
    expect(await live()).toBe(atReturn) // nothing of the failed run was still writing
    expect(atReturn % WRITE_BATCH).toBe(0) // whole batches only

    const second = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(second.status).toBe('success')
    expect(await live()).toBe(WRITE_BATCH * 2 + 100)
  })
})
