import { beforeEach, describe, expect, it } from 'vitest'
import { POST as retry } from '../../app/api/v1/crm-integration/[id]/retry-webhooks/route'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { APP_URL, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'
import { testSandbox } from '../helpers/sandbox'

// POST /api/v1/crm-integration/:id/retry-webhooks through the route file. (That retried
// events are applied is shown in tests/webhooks/process.test.ts.)

const sql = testSql()
useAppEnv(await testSandbox({ contacts: 1, seed: 2 }))

let connection: string
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await insertConnection(sql, LOCAL_TENANT_ID)
})

const call = (id: string) => retry(new Request(`${APP_URL}/api/v1/crm-integration/${id}/retry-webhooks`, { method: 'POST' }), { params: Promise.resolve({ id }) })

describe('POST /api/v1/crm-integration/:id/retry-webhooks', () => {
  it('with nothing failed, retries nothing and answers the status', async () => {
    const res = await call(connection)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ retried: 0, status: { failed: 0, pending: 0 } })
  })

  it("another workspace's connection, or an id that is not one, is a 404 and changes nothing", async () => {
    const other = await insertConnection(sql, await createTenant(sql))
    await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, occurred_at, payload, attempts)
              select tenant_id, id, 'k', 'contact.propertyChange', now(), '{}', 5 from crm_connections where id = ${other}`
    const before = await snapshot(sql)
    for (const id of [other, 'not-a-uuid']) {
      const res = await call(id)
      expect(res.status).toBe(404)
      expect((await res.json()).error.code).toBe('not_found')
    }
    expect(await snapshot(sql)).toEqual(before)
    const [e] = await sql`select attempts from webhook_events where connection_id = ${other}`
    expect(e.attempts).toBe(5)
  })
})
