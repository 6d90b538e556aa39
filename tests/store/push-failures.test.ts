import { describe, expect, it } from 'vitest'
import { connectionHealth, syncProblems } from '../../lib/store/dashboard'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// Changes HubSpot refused, as the connection's card counts and lists them: per record, not
// per outbox entry (a record's changes may wait as several entries, all refused alike).

const sql = testSql()

describe('changes that failed to push', () => {
  it('are counted and listed once per record, with the newest error', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const [a] = await sql`insert into deals (tenant_id, name) values (${tenant}, 'Deal A') returning id`
    await sql`insert into deals (tenant_id, name) values (${tenant}, 'Deal B')`
    await sql`update deals set amount = 10 where id = ${a.id}` // a second entry for deal A
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n).toBe(3)
    await sql`update crm_outbox set last_error = 'dealstage: required', attempts = 1 where connection_id = ${connection}`
    await sql`update crm_outbox set last_error = 'pipeline: required' where connection_id = ${connection} and local_id = ${a.id}
                and id = (select max(id) from crm_outbox where connection_id = ${connection} and local_id = ${a.id})`

    expect((await connectionHealth(sql, tenant, connection)).outboxFailed).toBe(2)
    const pushes = (await syncProblems(sql, tenant, connection)).filter((p) => p.direction === 'push')
    expect(pushes.map((p) => [p.record, p.message]).sort()).toEqual([['Deal A', 'pipeline: required'], ['Deal B', 'dealstage: required']])
  })
})
