import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { insertConnection } from '../helpers/fixtures'
import { createTenant, testSql } from '../helpers/db'

const sql = testSql()

async function insertContact(tenantId: string, email: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into contacts (tenant_id, email, first_name) values (${tenantId}, ${email}, 'Ada') returning id`
  return row.id
}

describe('identity map', () => {
  it('a second local record cannot link to the same remote record', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const a = await insertContact(tenant, 'a@example.com')
    const b = await insertContact(tenant, 'b@example.com')
    await sql`insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason)
              values (${tenant}, ${connection}, 'contact', ${a}, '101', 'crm', 'created')`
    await expect(sql`
      insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason)
      values (${tenant}, ${connection}, 'contact', ${b}, '101', 'crm', 'created')`).rejects.toThrow(/unique/i)
  })

  it('one local record cannot link to two remote records of one connection', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const a = await insertContact(tenant, 'a@example.com')
    await sql`insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason)
              values (${tenant}, ${connection}, 'contact', ${a}, '201', 'crm', 'created')`
    await expect(sql`
      insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason)
      values (${tenant}, ${connection}, 'contact', ${a}, '202', 'crm', 'created')`).rejects.toThrow(/unique/i)
  })

  it('rejects a phone that is not E.164', async () => {
    const tenant = await createTenant(sql)
    await expect(sql`insert into contacts (tenant_id, phone) values (${tenant}, '(415) 555-0100')`).rejects.toThrow(
      /check/i,
    )
  })
})

describe('outbox trigger', () => {
  it('captures an app edit with the fields it changed', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    const id = await insertContact(tenant, 'lead@example.com')
    await sql`update contacts set last_name = 'Lovelace' where id = ${id}`
    const rows = await sql`select op, changed_fields from crm_outbox where local_id = ${id} and connection_id = ${connection} order by id`
    expect(rows.map((r) => [r.op, r.changed_fields])).toEqual([
      ['insert', ['email', 'first_name']],
      ['update', ['last_name']],
    ])
  })

  it('does not capture a write made by the sync', async () => {
    const tenant = await createTenant(sql)
    await insertConnection(sql, tenant)
    const id = randomUUID()
    await sql.begin(async (tx) => {
      await tx`select set_config('syncline.writer', 'sync', true)`
      await tx`insert into contacts (id, tenant_id, email, source) values (${id}, ${tenant}, 'crm@example.com', 'crm')`
      await tx`update contacts set first_name = 'Grace' where id = ${id}`
    })
    expect(await sql`select 1 from crm_outbox where local_id = ${id}`).toHaveLength(0)
    // The flag is transaction-local: the next app edit is captured again.
    await sql`update contacts set first_name = 'Hopper' where id = ${id}`
    expect(await sql`select op from crm_outbox where local_id = ${id}`).toHaveLength(1)
  })

  it('ignores an update that changes nothing the CRM holds', async () => {
    const tenant = await createTenant(sql)
    await insertConnection(sql, tenant)
    const id = await insertContact(tenant, 'same@example.com')
    await sql`update contacts set first_name = first_name where id = ${id}`
    expect(await sql`select op from crm_outbox where local_id = ${id}`).toHaveLength(1)
  })
})

describe('outbox trigger and direction', () => {
  // Remembered for when the connection is two-way again (20261202025000_outbox_remembers_pull_only), held until then.
  it('queues edits for a pull-only connection, held', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    await sql`update crm_connections set settings = '{"direction":"pull"}' where id = ${connection}`
    const id = await insertContact(tenant, 'pull-only@example.com')
    await sql`update contacts set last_name = 'Edited' where id = ${id}`
    const held = async () => (await sql`select private.outbox_held(o.op, o.changed_fields, c.settings) as held
                                           from crm_outbox o join crm_connections c on c.id = o.connection_id
                                          where o.local_id = ${id} order by o.id`).map((r) => r.held)
    expect(await held()).toEqual([true, true])
    await sql`update crm_connections set settings = '{"direction":"bidirectional"}' where id = ${connection}`
    expect(await held()).toEqual([false, false])
  })
})
