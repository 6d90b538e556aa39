import { Client } from '@hubspot/api-client'
import { beforeAll, describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { tenantFieldOptions } from '../../lib/store/field-options'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// The portal's own options for the enumerations the dashboard shows (a contact's lifecycle
// stage and lead status), read by the sync at most once a day.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 20, companies: 2, deals: 2, owners: 1, seed: 51 })
const PROPERTIES_CALL = 'GET /crm/v3/properties/contacts'
const calls = async () => (await control<{ calls: Record<string, number> }>(sandbox, 'GET', '/stats')).calls

describe("a portal's field options", () => {
  let tenant: string
  let connection: string
  beforeAll(async () => {
    // A portal admin renames a default stage and adds one of the portal's own, whose internal value is a number.
    const hubspot = new Client({ accessToken: sandbox.token, basePath: sandbox.url })
    const stage = await hubspot.crm.properties.coreApi.getByName('contacts', 'lifecyclestage')
    const options = stage.options.map((o) => (o.value === 'lead' ? { ...o, label: 'Prospect' } : o))
    await hubspot.crm.properties.coreApi.update('contacts', 'lifecyclestage', {
      options: [...options, { label: 'Partner', value: '1062961', displayOrder: 99, hidden: false }],
    } as never)
    tenant = await createTenant(sql)
    connection = await sandboxConnection(sql, sandbox, tenant, { direction: 'pull' })
  })

  it("a sync reads them: the portal's labels, its own stages included, for the dashboard", async () => {
    await control(sandbox, 'DELETE', '/stats')
    expect((await runSync(sql, { connectionId: connection, trigger: 'manual' })).status).toBe('success')
    expect((await calls())[PROPERTIES_CALL]).toBe(1)
    const options = await tenantFieldOptions(sql, tenant, 'contact')
    expect(options.lifecycleStage).toContainEqual(['1062961', 'Partner'])
    expect(options.lifecycleStage).toContainEqual(['lead', 'Prospect'])
    expect(options.lifecycleStage.at(-1)).toEqual(['1062961', 'Partner']) // in the portal's display order
    expect(options.leadStatus).toContainEqual(['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'])
    // Another tenant sees none of them.
    expect(await tenantFieldOptions(sql, await createTenant(sql), 'contact')).toEqual({})
  })

  it('the next runs that day do not read them again; a day later one does', async () => {
    await control(sandbox, 'DELETE', '/stats')
    await runSync(sql, { connectionId: connection, trigger: 'cron' })
    expect((await calls())[PROPERTIES_CALL] ?? 0).toBe(0)
    await sql`update crm_connections set properties_read_at = jsonb_build_object('contact', now() - interval '25 hours') where id = ${connection}`
    await runSync(sql, { connectionId: connection, trigger: 'cron' })
    expect((await calls())[PROPERTIES_CALL]).toBe(1)
  })

  it('a sync a person asks for (Refresh CRM, Force sync) reads them again the same day: a renamed stage shows at once', async () => {
    const hubspot = new Client({ accessToken: sandbox.token, basePath: sandbox.url })
    const stage = await hubspot.crm.properties.coreApi.getByName('contacts', 'lifecyclestage')
    await hubspot.crm.properties.coreApi.update('contacts', 'lifecyclestage', {
      options: stage.options.map((o) => (o.value === '1062961' ? { ...o, label: 'Channel partner' } : o)),
    } as never)
    await runSync(sql, { connectionId: connection, trigger: 'cron' })
    expect((await tenantFieldOptions(sql, tenant, 'contact')).lifecycleStage).toContainEqual(['1062961', 'Partner'])
    await runSync(sql, { connectionId: connection, trigger: 'manual', rereadOptions: true })
    expect((await tenantFieldOptions(sql, tenant, 'contact')).lifecycleStage).toContainEqual(['1062961', 'Channel partner'])
  })

  it('failing to read them does not fail the sync: the labels read before stay, and the next run tries again', async () => {
    const before = await tenantFieldOptions(sql, tenant, 'contact')
    await sql`update crm_connections set properties_read_at = jsonb_build_object('contact', now() - interval '25 hours') where id = ${connection}`
    await control(sandbox, 'PUT', '/faults', { seed: 1, rules: [{ kind: 'server_error', rate: 1, match: '^GET /crm/v3/properties', status: 503 }] })
    try {
      const summary = await runSync(sql, { connectionId: connection, trigger: 'cron' })
      expect(summary.status).toBe('success')
    } finally {
      await control(sandbox, 'DELETE', '/faults')
    }
    expect(await tenantFieldOptions(sql, tenant, 'contact')).toEqual(before)
    const [row] = await sql`select (properties_read_at->>'contact')::timestamptz < now() - interval '24 hours' as due from crm_connections where id = ${connection}`
    expect(row.due).toBe(true)
    await control(sandbox, 'DELETE', '/stats')
    await runSync(sql, { connectionId: connection, trigger: 'cron' })
    expect((await calls())[PROPERTIES_CALL]).toBe(1)
  })
})
