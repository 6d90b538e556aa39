import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'

// A push call's commit writes as the sync writer (asSyncWriter): its own writes to the app's
// tables, the origin stamp on a contact it created (markOrigin), are not the app's edits. The
// outbox would not show a mistake here: lead_source_system is among the columns the outbox
// trigger ignores, so the stamp queues nothing either way. What is checked is the setting
// itself, in force when the stamp's update runs, by a trigger of this test's own on its
// tenant's contacts (files run one at a time, and it is dropped after). Before, the writer's
// settings were pipelined beside the stamp and went first only because every store function
// sent its statement the moment it was called: an await added at the head of asSyncWriter
// sent the stamp first, and nothing saw it.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, companies: 1, deals: 1, owners: 1, seed: 41 })

/** Refuses, for `tenant`'s contacts, a change of lead_source_system made outside the sync writer's settings. */
async function refuseStampOutsideWriter(tenant: string): Promise<() => Promise<void>> {
  const name = `writer_spy_${randomUUID().replaceAll('-', '')}`
  await sql.unsafe(`create function private.${name}() returns trigger language plpgsql as $$
    begin raise exception 'lead_source_system stamped outside the sync writer'; end $$`)
  await sql.unsafe(`create trigger ${name} before update of lead_source_system on public.contacts for each row
    when (new.tenant_id = '${tenant}'::uuid and current_setting('syncline.writer', true) is distinct from 'sync')
    execute function private.${name}()`)
  return async () => {
    await sql.unsafe(`drop trigger ${name} on public.contacts`)
    await sql.unsafe(`drop function private.${name}()`)
  }
}

it("a contact the push creates in HubSpot is stamped with its origin as the sync's own write, and nothing is queued for it", async () => {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant)
  await runSync(sql, { connectionId: connection, trigger: 'manual' })
  const drop = await refuseStampOutsideWriter(tenant)
  try {
    const [lead] = await sql`insert into contacts ${sql({ tenant_id: tenant, email: `writer-${randomUUID().slice(0, 8)}@example.com`, first_name: 'Ada' })} returning id`
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect((await sql`select lead_source_system from contacts where id = ${lead.id}`)[0].lead_source_system).toBe('syncline')
    expect(await sql`select op, changed_fields from crm_outbox where connection_id = ${connection}`).toEqual([])
  } finally {
    await drop()
  }
})
