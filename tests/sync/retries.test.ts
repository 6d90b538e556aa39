import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// A record a pull could not write is read again by later runs until it goes in, even
// though nothing changed it in the CRM (the watermark has moved past it): the next run,
// then with backoff, and it stays on the dashboard meanwhile.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 12, seed: 41 })
const refused = `Refused ${randomUUID().slice(0, 8)}`
// The app's own rule, added after the CRM's data was written: this one title is refused.
const constraint = `retry_test_${randomUUID().slice(0, 8).replace(/-/g, '')}`

describe('records a pull could not write', () => {
  let connection: string
  let remoteId: string
  let otherId: string
  let thirdId: string
  const sync = () => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
  let tenant: string
  const retries = () => sql`select remote_id, attempts, error, extract(epoch from next_attempt_at - now()) / 60 as due_in_minutes
                            from sync_retries where connection_id = ${connection}`
  // Time passes: every kept record is due.
  const allDue = () => sql`update sync_retries set next_attempt_at = now() where connection_id = ${connection}`
  const batchReads = async () => (await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')).calls['POST /crm/v3/objects/contacts/batch/read'] ?? 0
  const jobTitle = async () => (await sql`select c.job_title from contacts c join crm_links l on l.local_id = c.id
                                           where l.connection_id = ${connection} and l.remote_id = ${remoteId}`)[0]?.job_title

  beforeAll(async () => {
    tenant = await createTenant(sql)
    connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull', lookbackMs: 0 })
    await sync()
    ;[remoteId, otherId, thirdId] = (await control<{ results: Array<{ id: string }> }>(sandbox, 'GET', '/records/contacts?limit=3')).results.map((r) => r.id)
    await sql.unsafe(`alter table public.contacts add constraint ${constraint} check (job_title is distinct from '${refused}') not valid`)
  })
  afterAll(async () => {
    await sql.unsafe(`alter table public.contacts drop constraint if exists ${constraint}`)
  })

  it('fails alone, is kept with its reason, and is read again, with backoff, until it goes in', async () => {
    await control(sandbox, 'PATCH', `/rep/contacts/${remoteId}`, { properties: { jobtitle: refused } })
    // A later edit elsewhere, so this run's watermark ends past the refused record.
    await new Promise((r) => setTimeout(r, 5))
    await control(sandbox, 'PATCH', `/rep/contacts/${otherId}`, { properties: { jobtitle: 'Later edit' } })
    const first = await sync()
    expect(first.objects.contacts).toMatchObject({ failed: 1, status: 'partial' })
    expect(await retries()).toEqual([expect.objectContaining({ remote_id: remoteId, attempts: 1, error: expect.stringMatching(new RegExp(constraint)) })])

    // Unchanged in the CRM and past the watermark: only the retry reads it again.
    await control(sandbox, 'DELETE', '/stats')
    expect((await sync()).objects.contacts).toMatchObject({ failed: 1 })
    expect(await batchReads()).toBe(1)
    expect(await jobTitle()).not.toBe(refused)
    // Failed twice: put off for an hour.
    const [kept] = await retries()
    expect(kept.attempts).toBe(2)
    expect(Number(kept.due_in_minutes)).toBeGreaterThan(59)
    expect(Number(kept.due_in_minutes)).toBeLessThanOrEqual(60)

    // Not due: the next run leaves it alone, and the dashboard still lists it, with when it is tried again.
    await control(sandbox, 'DELETE', '/stats')
    expect((await sync()).objects.contacts).toMatchObject({ failed: 0 })
    expect(await batchReads()).toBe(0)
    const [listed] = (await syncProblems(sql, tenant, connection)).filter((p) => p.direction === 'pull')
    expect(listed).toMatchObject({ objectType: 'contact', attempts: 2, message: expect.stringMatching(new RegExp(constraint)) })
    expect(listed.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(59 * 60_000)

    // Due again: read, refused a third time, put off for two hours.
    await allDue()
    expect((await sync()).objects.contacts).toMatchObject({ failed: 1 })
    expect(await batchReads()).toBe(1)
    expect(Number((await retries())[0].due_in_minutes)).toBeGreaterThan(119)

    // A second refused record, the newest edit: the next search finds it again at its
    // watermark as well as the retry, and it is applied (and counted) once.
    await control(sandbox, 'PATCH', `/rep/contacts/${thirdId}`, { properties: { jobtitle: refused } })
    await allDue()
    expect((await sync()).objects.contacts).toMatchObject({ failed: 2 }) // the first, due; the third, found by the search
    expect((await sync()).objects.contacts).toMatchObject({ failed: 1 }) // the third alone, by the retry and the search
    expect((await retries()).map((r) => [r.remote_id, r.attempts]).sort()).toEqual([[remoteId, 4], [thirdId, 2]].sort())

    // The cause goes away; the next run brings the records in and forgets them.
    await sql.unsafe(`alter table public.contacts drop constraint ${constraint}`)
    await allDue()
    expect((await sync()).objects.contacts).toMatchObject({ failed: 0, status: 'success' })
    expect(await jobTitle()).toBe(refused)
    expect(await retries()).toEqual([])
    await control(sandbox, 'DELETE', '/stats')
    await sync()
    expect(await batchReads()).toBe(0)
  })
})
