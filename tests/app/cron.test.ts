import { beforeAll, describe, expect, it } from 'vitest'
import { GET } from '../../app/api/cron/sync-crm/route'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { APP_URL, snapshot, TEST_CRON_SECRET, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 20, companies: 4, deals: 5, owners: 2, seed: 3 })
useAppEnv(sandbox)

const cron = (authorization?: string) =>
  GET(new Request(`${APP_URL}/api/cron/sync-crm`, { headers: authorization ? { authorization } : {} }))

describe('GET /api/cron/sync-crm', () => {
  let due: string[]
  let notDue: string
  let broken: string
  beforeAll(async () => {
    // Connections left by earlier test files point at sandboxes that are gone: park them.
    await sql`update crm_connections set next_sync_at = now() + interval '1 day'`
    const a = await createTenant(sql)
    const b = await createTenant(sql)
    due = [await sandboxConnection(sql, sandbox, a), await sandboxConnection(sql, sandbox, b)]
    notDue = await sandboxConnection(sql, sandbox, a)
    await sql`update crm_connections set next_sync_at = now() + interval '1 hour' where id = ${notDue}`
    // A due connection whose token HubSpot refuses: it fails on its own.
    const c = await createTenant(sql)
    broken = await sandboxConnection(sql, { ...sandbox, token: 'revoked-token' }, c)
  })

  it('answers 401 without a secret, and changes nothing', async () => {
    const before = await snapshot(sql)
    const res = await cron()
    expect(res.status).toBe(401)
    expect((await res.json()).error.message).toMatch(/Bearer/)
    expect(await snapshot(sql)).toEqual(before)
  })

  it('answers 401 with a wrong secret (or the right one in the wrong scheme), and changes nothing', async () => {
    const before = await snapshot(sql)
    for (const header of [`Bearer ${TEST_CRON_SECRET}x`, `Bearer ${TEST_CRON_SECRET.slice(0, -1)}`, `Basic ${TEST_CRON_SECRET}`, TEST_CRON_SECRET]) {
      expect((await cron(header)).status).toBe(401)
    }
    expect(await snapshot(sql)).toEqual(before)
  })

  it('with the secret, syncs every due connection on its own and reports each; one failing does not stop the others', async () => {
    const res = await cron(`Bearer ${TEST_CRON_SECRET}`)
    expect(res.status).toBe(200)
    const report = await res.json()
    const byId = Object.fromEntries(report.results.map((r: { connectionId: string }) => [r.connectionId, r]))
    expect(report.deferred).toEqual([])
    expect(report.pruned).toEqual({ runs: expect.any(Number), events: expect.any(Number), pendingRefs: expect.any(Number), outbox: expect.any(Number), leadCounts: expect.any(Number) })
    for (const id of due) expect(byId[id]).toMatchObject({ status: 'success' })
    expect(byId[broken].status).not.toBe('success')
    expect(byId[notDue]).toBeUndefined()
    const [counts] = await sql`select count(*)::int as n from contacts c join crm_links l on l.local_id = c.id where l.connection_id = ${due[0]}`
    expect(counts.n).toBe(20)
    const runs = await sql`select distinct trigger from sync_runs where connection_id = any(${due}::uuid[])`
    expect(runs.map((r) => r.trigger)).toEqual(['cron'])
    // Synced connections are scheduled for later; the next invocation has nothing due from them.
    const again = await (await cron(`Bearer ${TEST_CRON_SECRET}`)).json()
    expect(again.results.map((r: { connectionId: string }) => r.connectionId)).not.toContain(due[0])
    expect(JSON.stringify(report)).not.toContain(sandbox.token)
  })
})
