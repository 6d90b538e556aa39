import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { POST as pushUnlinked } from '../../app/api/crm/push-unlinked/route'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 1, owners: 1, seed: 44 })
useAppEnv(sandbox)

beforeEach(() => resetLocalWorkspace(sql))

const call = async (body: unknown) => {
  const res = await pushUnlinked(jsonRequest('/api/crm/push-unlinked', body))
  return { status: res.status, body: await res.json() }
}
const outbox = async (connection: string) => (await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n

describe('POST /api/crm/push-unlinked', () => {
  it("queues the workspace's unlinked rows for the next sync, answering how many (dryRun: counts only)", async () => {
    await sql`insert into contacts ${sql({ tenant_id: LOCAL_TENANT_ID, email: `early-${randomUUID().slice(0, 8)}@example.com` })}`
    const connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID)
    expect(await call({ connectionId: connection, objects: ['contacts'], dryRun: true }))
      .toEqual({ status: 200, body: { queued: { companies: 0, contacts: 1, deals: 0 }, dryRun: true } })
    expect(await outbox(connection)).toBe(0)
    expect((await call({ connectionId: connection })).body.queued).toEqual({ companies: 0, contacts: 1, deals: 0 })
    expect(await outbox(connection)).toBe(1)
  })

  it("refuses a bad body (400), another tenant's connection (404) and a pull-only one (409)", async () => {
    expect((await call({ connectionId: 'nope' })).status).toBe(400)
    expect((await call({ connectionId: randomUUID(), extra: 1 })).status).toBe(400)
    const other = await sandboxConnection(sql, sandbox, await createTenant(sql))
    expect((await call({ connectionId: other })).status).toBe(404)
    const pullOnly = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { direction: 'pull' })
    const r = await call({ connectionId: pullOnly })
    expect(r.status).toBe(409)
    expect(r.body.error.message).toMatch(/HubSpot → app only/)
  })
})
