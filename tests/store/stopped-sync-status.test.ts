import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { refreshButtonState } from '../../components/refresh-button-state'
import { runOutcome } from '../../components/sync-state-text'
import { busyMessage } from '../../lib/crm/busy'
import { connectionStatuses } from '../../lib/crm/status'
import { runHistory } from '../../lib/store/dashboard'
import { leaseHold, renewLease } from '../../lib/store/lease'
import { closeInterruptedRuns, INTERRUPTED_ERROR, startRun } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// What the dashboard reads while a sync's lease is held: a sync at work (renewed lately) is
// running; one whose server stopped mid-way (kill -9: no renewal since) holds the lease until
// it expires, and the dashboard says it stopped, the way Refresh CRM's 409 does, rather than
// "Syncing…" and a run history row "running".

const sql = testSql()
const OWNER = 'a run whose server may be gone'

/** A connection with one sync's run rows open ('running'), as its process left them. */
async function openRun(types: string[] = ['contact']) {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  const runGroup = randomUUID()
  for (const objectType of types) await startRun(sql, { tenantId: tenant, connectionId: connection, runGroup, objectType: objectType as 'contact', trigger: 'manual' })
  return { tenant, connection }
}

/** The lease as its holder left it: taken or last renewed `renewedAgo` ago (null: before renewals were recorded), expiring in `left`. */
async function leaseHeld(connection: string, renewedAgo: string | null, left: string) {
  await sql`update crm_connections set sync_lease_owner = ${OWNER}, sync_lease_until = now() + ${left}::interval,
              sync_lease_renewed_at = now() - ${renewedAgo}::interval where id = ${connection}`
}

/** What the dashboard shows of the connection: its running state, its last contacts run, and its run history. */
async function shown(tenant: string, connection: string) {
  const [view] = (await connectionStatuses(sql, tenant)).filter((c) => c.id === connection)
  const history = await runHistory(sql, tenant, connection)
  return {
    running: view.running, stoppedSync: view.stoppedSync,
    button: (({ label, disabled }) => ({ label, disabled }))(refreshButtonState(false, { running: view.running, connections: [view] })),
    contact: view.objects.contact && { status: view.objects.contact.status, error: view.objects.contact.error },
    history: history.map((p) => ({ status: p.status, interrupted: p.interrupted, outcome: runOutcome(p) })),
  }
}

const STOPPED_ROW = { status: 'failed', error: INTERRUPTED_ERROR }
const STOPPED_POINT = { status: 'failed', interrupted: true, outcome: 'stopped — server stopped mid-run' }

describe('the dashboard while a sync holds the lease', () => {
  it('renewed lately: running', async () => {
    const { tenant, connection } = await openRun()
    await leaseHeld(connection, '45 seconds', '75 seconds')
    expect(await shown(tenant, connection)).toEqual({
      running: true, stoppedSync: null, button: { label: 'Syncing…', disabled: true },
      contact: { status: 'running', error: null },
      history: [{ status: 'running', interrupted: false, outcome: 'running' }],
    })
  })

  it('not renewed for the time after which Refresh CRM says it stopped: stopped, with when the connection can sync again; the rows stay as written', async () => {
    const { tenant, connection } = await openRun()
    // Its server was killed 90 s ago: no renewal since, 30 s of its lease left.
    await leaseHeld(connection, '90 seconds', '30 seconds')
    const s = await shown(tenant, connection)
    expect(s).toMatchObject({ running: false, button: { label: 'Refresh CRM', disabled: true }, contact: STOPPED_ROW, history: [STOPPED_POINT] })
    expect(s.stoppedSync!.sinceRenewedSeconds).toBeGreaterThanOrEqual(90)
    expect(s.stoppedSync!.leftSeconds).toBeGreaterThan(0)
    expect(s.stoppedSync!.leftSeconds).toBeLessThanOrEqual(30)
    // What Refresh CRM answers now says the same.
    expect(busyMessage(await leaseHold(sql, connection))).toMatch(/^The previous sync stopped without finishing/)
    // Shown, not written: the row is closed by the next run or the cron, as before.
    const rows = await sql`select status, error from sync_runs where connection_id = ${connection}`
    expect(rows.map((r) => ({ ...r }))).toEqual([{ status: 'running', error: null }])

    // Its holder was only slow after all, and renews: running again.
    expect(await renewLease(sql, connection, OWNER, 120_000)).toBe(true)
    expect(await shown(tenant, connection)).toMatchObject({ running: true, stoppedSync: null, contact: { status: 'running' } })
  })

  it('a run of several object types, some finished: the run history says it stopped, not running', async () => {
    const { tenant, connection } = await openRun(['owner', 'contact'])
    await sql`update sync_runs set status = 'success', finished_at = now() where connection_id = ${connection} and object_type = 'owner'`
    await leaseHeld(connection, '100 seconds', '20 seconds')
    expect((await shown(tenant, connection)).history).toEqual([{ status: 'partial', interrupted: true, outcome: 'stopped — server stopped mid-run' }])
  })

  it('a lease taken before renewals were recorded counts as running until it lapses', async () => {
    const { tenant, connection } = await openRun()
    await leaseHeld(connection, null, '30 seconds')
    expect(await shown(tenant, connection)).toMatchObject({ running: true, stoppedSync: null, contact: { status: 'running' } })
  })
})

describe('the dashboard once the lease is gone', () => {
  it('lapsed: not running, nothing holds the connection, and the run stopped', async () => {
    const { tenant, connection } = await openRun()
    await leaseHeld(connection, '130 seconds', '-10 seconds')
    expect(await shown(tenant, connection)).toEqual({
      running: false, stoppedSync: null, button: { label: 'Refresh CRM', disabled: false }, contact: STOPPED_ROW, history: [STOPPED_POINT],
    })
  })

  it('closed as interrupted by the next run or the cron: still says it stopped; a run that failed is not called stopped', async () => {
    const { tenant, connection } = await openRun()
    expect(await closeInterruptedRuns(sql, { connectionId: connection })).toBe(1)
    await startRun(sql, { tenantId: tenant, connectionId: connection, runGroup: randomUUID(), objectType: 'contact', trigger: 'manual' })
    await sql`update sync_runs set status = 'failed', error = 'HubSpot answered 500', started_at = now() + interval '1 second'
               where connection_id = ${connection} and status = 'running'`
    expect((await shown(tenant, connection)).history).toEqual([STOPPED_POINT, { status: 'failed', interrupted: false, outcome: 'failed' }])
  })

  it('a row closed with an earlier wording of the interrupted error still says it stopped', async () => {
    const { tenant, connection } = await openRun()
    expect(await closeInterruptedRuns(sql, { connectionId: connection })).toBe(1)
    await sql`update sync_runs set error = '[interrupted] the sync stopped before it finished (its process ended); the next sync went on from its last saved batch'
               where connection_id = ${connection}`
    expect((await shown(tenant, connection)).history).toEqual([STOPPED_POINT])
  })
})
