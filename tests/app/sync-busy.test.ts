import { beforeEach, describe, expect, it } from 'vitest'
import { GET as status } from '../../app/api/crm/status/route'
import { POST as forceSync } from '../../app/api/crm/sync/route'
import { acquireLease } from '../../lib/store/lease'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, useAppEnv } from './helpers'

const sql = testSql()
const sandbox = await testSandbox({ contacts: 2, owners: 1, seed: 41 })
useAppEnv(sandbox)

let connection: string
beforeEach(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { lookbackMs: 0 })
})

/** The lease as a run left it: taken or last renewed `renewedAgo` ago, expiring in `left`. */
async function leaseHeld(renewedAgo: string, left: string) {
  await sql`update crm_connections set sync_lease_owner = 'another run', sync_lease_until = now() + ${left}::interval,
              sync_lease_renewed_at = now() - ${renewedAgo}::interval where id = ${connection}`
}

async function refresh(): Promise<{ status: number; code: string; message: string }> {
  const res = await forceSync(jsonRequest('/api/crm/sync', { connectionId: connection }))
  const { error } = await res.json()
  return { status: res.status, code: error?.code, message: error?.message }
}

const secondsIn = (message: string, before: string) => Number(new RegExp(`${before} (\\d+) s`).exec(message)?.[1])

describe('Refresh CRM while the connection is held', () => {
  it('after a run whose server stopped mid-way, says the run stopped without finishing and when the connection can sync again', async () => {
    // Its server was killed 100 s ago: no renewal since, 20 s of its lease left.
    await leaseHeld('100 seconds', '20 seconds')
    const r = await refresh()
    expect(r.status).toBe(409)
    expect(r.code).toBe('busy')
    expect(r.message).toMatch(/^The previous sync stopped without finishing \(most likely its server stopped\): no progress for \d+ s\. This connection can sync again in \d+ s; Refresh CRM then goes on from where it stopped\.$/)
    expect(secondsIn(r.message, 'progress for')).toBeGreaterThanOrEqual(100)
    expect(secondsIn(r.message, 'sync again in')).toBeGreaterThan(0)
    expect(secondsIn(r.message, 'sync again in')).toBeLessThanOrEqual(20)
    expect(r.message).not.toMatch(/already running/)
  })

  it('while the holder reports progress, says a sync is running, and when the connection can sync again if it stopped', async () => {
    // Taken just now by a live run (its renewals record the time too).
    expect(await acquireLease(sql, connection, 'another run', 120_000)).toBe(true)
    const r = await refresh()
    expect(r.status).toBe(409)
    expect(r.message).toMatch(/^A sync of this connection is running \(last progress \d+ s ago\)\. If it stopped without finishing \(its server stopped\), this connection can sync again in \d+ s\.$/)
    expect(secondsIn(r.message, 'sync again in')).toBeLessThanOrEqual(120)
    // No run was started beside it.
    const [runs] = await sql`select count(*)::int as n from sync_runs where connection_id = ${connection}`
    expect(runs.n).toBe(0)
  })

  it("the dashboard's status says the same: not running while the holder reports no progress, running while it does", async () => {
    const dashboard = async () => {
      const body = await (await status()).json()
      const c = body.connections.find((x: { id: string }) => x.id === connection)
      return { running: body.running as boolean, connection: { running: c.running as boolean, stoppedSync: c.stoppedSync as { sinceRenewedSeconds: number; leftSeconds: number } | null } }
    }
    await leaseHeld('100 seconds', '20 seconds')
    const stopped = await dashboard()
    expect(stopped).toMatchObject({ running: false, connection: { running: false } })
    expect(stopped.connection.stoppedSync!.sinceRenewedSeconds).toBeGreaterThanOrEqual(100)
    expect(stopped.connection.stoppedSync!.leftSeconds).toBeLessThanOrEqual(20)
    expect((await refresh()).message).toMatch(/^The previous sync stopped without finishing/)

    await leaseHeld('2 seconds', '118 seconds')
    expect(await dashboard()).toEqual({ running: true, connection: { running: true, stoppedSync: null } })
    expect((await refresh()).message).toMatch(/^A sync of this connection is running/)
  })

  it('a lease that expired is taken over: the sync runs', async () => {
    await leaseHeld('200 seconds', '-1 seconds')
    const res = await forceSync(jsonRequest('/api/crm/sync', { connectionId: connection }))
    expect(res.status).toBe(200)
  })
})
