import { beforeEach, describe, expect, it } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { POST as sync } from '../../app/api/crm/sync/route'
import { dismissStaleConflicts, upsertConflicts } from '../../lib/store/conflicts'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 6, companies: 1, deals: 0, owners: 1, seed: 33 })
useAppEnv(sandbox)

let connection: string
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { direction: 'pull' })
  await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['owner', 'contact'] }))
})

/** An open conflict on one synced contact's job title: the app says one thing, HubSpot another. */
async function openConflict(nth = 0): Promise<{ id: number; localId: string; remoteId: string; local: string }> {
  const [c] = await sql`select c.id, l.remote_id, c.job_title from contacts c join crm_links l on l.local_id = c.id
                         where l.connection_id = ${connection} and c.job_title is not null order by c.id offset ${nth} limit 1`
  await upsertConflicts(sql, LOCAL_TENANT_ID, connection, 'contact', [{
    localId: c.id, remoteId: c.remote_id, fields: ['jobTitle'], local: { jobTitle: c.job_title }, remote: { jobTitle: 'Title from HubSpot' },
  }])
  const [k] = await sql`select id from sync_conflicts where local_id = ${c.id} and status = 'open'`
  return { id: Number(k.id), localId: c.id, remoteId: c.remote_id, local: c.job_title }
}

const decide = (id: number, choices: Record<string, unknown>) =>
  resolve(jsonRequest(`/api/crm/conflicts/${id}/resolve`, { choices }), { params: Promise.resolve({ id: String(id) }) })

describe('deciding a conflict from two tabs at once', () => {
  it('the first decision wins; the other tab is told it was already decided (409) and changes nothing', async () => {
    const conflict = await openConflict()
    await sql`delete from crm_outbox where connection_id = ${connection}`
    const answers = await Promise.all([decide(conflict.id, { jobTitle: 'local' }), decide(conflict.id, { jobTitle: 'remote' })])
    await backgroundSettled()
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    const winner = answers.findIndex((a) => a.status === 200)
    expect((await answers[1 - winner].json()).error.message).toMatch(/already decided/)
    const [row] = await sql`select status, resolution from sync_conflicts where id = ${conflict.id}`
    expect(row.status).toBe('resolved')
    const [after] = await sql`select job_title from contacts where id = ${conflict.localId}`
    // The record and the stored decision both say what the winning tab chose.
    if (winner === 0) {
      expect(row.resolution.choices).toEqual({ jobTitle: 'local' })
      expect(after.job_title).toBe(conflict.local)
    } else {
      expect(row.resolution.choices).toEqual({ jobTitle: 'remote' })
      expect(after.job_title).toBe('Title from HubSpot')
    }
  })
})

describe('a conflict whose record is gone on one side', () => {
  const status = async (id: number) => (await sql`select status, resolution from sync_conflicts where id = ${id}`)[0]

  it('the app deleted the record: Apply dismisses the conflict instead of failing forever', async () => {
    const conflict = await openConflict()
    await sql`delete from contacts where id = ${conflict.localId}`
    const res = await decide(conflict.id, { jobTitle: 'remote' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'dismissed', reason: 'local_deleted', message: expect.stringMatching(/deleted in the app/) })
    expect(await status(conflict.id)).toMatchObject({ status: 'dismissed', resolution: { dismissed: 'local_deleted' } })
    const again = await decide(conflict.id, { jobTitle: 'remote' })
    expect(again.status).toBe(409)
    expect((await again.json()).error.message).toMatch(/already dismissed/)
  })

  it('HubSpot deleted the record: the sync that archives it dismisses the conflict; Apply then says so and queues nothing to push', async () => {
    const conflict = await openConflict()
    await control(sandbox, 'DELETE', `/rep/contacts/${conflict.remoteId}`)
    await sync(jsonRequest('/api/crm/sync', { connectionId: connection, objects: ['contact'] }))
    await backgroundSettled()
    const [link] = await sql`select archived_at from crm_links where local_id = ${conflict.localId}`
    expect(link.archived_at).not.toBeNull()
    expect(await status(conflict.id)).toMatchObject({ status: 'dismissed', resolution: { dismissed: 'remote_archived' } })
    await sql`delete from crm_outbox where connection_id = ${connection}`
    const res = await decide(conflict.id, { jobTitle: 'local' })
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toMatch(/already dismissed: its record is gone/)
    const [outbox] = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`
    expect(outbox.n).toBe(0)
  })

  it('listing closes them all at once, so the open count is only what a person can still decide', async () => {
    const [deleted, archived, live] = [await openConflict(0), await openConflict(1), await openConflict(2)]
    await sql`delete from contacts where id = ${deleted.localId}`
    await sql`update contacts set archived_at = now() where id = ${archived.localId}`
    const dismissed = await dismissStaleConflicts(sql, LOCAL_TENANT_ID)
    expect(dismissed.sort((a, b) => a.id - b.id)).toEqual([{ id: deleted.id, reason: 'local_deleted' }, { id: archived.id, reason: 'local_archived' }])
    const open = await sql`select id from sync_conflicts where connection_id = ${connection} and status = 'open'`
    expect(open.map((r) => Number(r.id))).toEqual([live.id])
    expect(await dismissStaleConflicts(sql, LOCAL_TENANT_ID)).toEqual([])
  })
})
