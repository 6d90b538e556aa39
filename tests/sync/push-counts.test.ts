import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import type { CrmAdapter, PushResult } from '../../lib/crm/adapters/types'
import { pageContext } from '../../lib/crm/pull/apply-page'
import { pushOutbox } from '../../lib/crm/push/push-outbox'
import { parseSettings } from '../../lib/crm/settings'
import { adapterForConnection } from '../../lib/crm/sync-service'
import { getConnection } from '../../lib/store/connections'
import { emptyCounts, startRun } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { until } from '../helpers/interleave'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'

// The push commits each call's results (links, acks) with that call's counts in the run's
// row: a push that dies between two calls of a round (a kill, its function's end) leaves
// a row that says exactly what went in, and the calls before it are not sent again.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 0, owners: 1, seed: 59 })

/** `adapter` with its `n`th call of `method` held until the test lets it go. */
function holdCall(adapter: CrmAdapter, method: 'upsertBatch' | 'updateBatch', n: number) {
  const send = adapter[method].bind(adapter) as (...args: unknown[]) => Promise<PushResult[]>
  let calls = 0
  let waiting = false
  let letGo!: () => void
  const gate = new Promise<void>((r) => { letGo = r })
  Object.assign(adapter, { [method]: async (...args: unknown[]) => {
    if (++calls === n) {
      waiting = true
      await gate
    }
    return send(...args)
  } })
  return { waiting: async () => waiting, letGo }
}

async function state(connection: string, runId: number) {
  const [links] = await sql`select count(*)::int as n from crm_links where connection_id = ${connection}`
  const [queued] = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`
  const [run] = await sql`select pushed, failed from sync_runs where id = ${runId}`
  return { links: links.n, queued: queued.n, pushed: run.pushed, failed: run.failed }
}

it('each call of a push round commits its links, acks and pushed count together: a push stopped dead mid-round leaves them exact', async () => {
  const tenant = await createTenant(sql)
  const connectionId = await sandboxConnection(sql, sandbox, tenant, { direction: 'push', entities: { company: false, deal: false } })
  const tag = connectionId.slice(0, 8)
  // 300 new contacts: one round (up to 500 entries), three create calls of 100.
  await sql`insert into contacts ${sql(Array.from({ length: 300 }, (_, i) => ({ tenant_id: tenant, email: `count-${i}-${tag}@example.com`, first_name: `Count ${i}` })))}`
  const connection = (await getConnection(sql, connectionId))!
  const settings = parseSettings(connection.settings)

  const push = async (method: 'upsertBatch' | 'updateBatch') => {
    const adapter = adapterForConnection(sql, connection, settings)
    const held = holdCall(adapter, method, 3)
    const runId = await startRun(sql, { tenantId: tenant, connectionId, runGroup: randomUUID(), objectType: 'contact', trigger: 'manual' })
    const ctx = pageContext(sql, connection, settings, 'contact', { counts: emptyCounts(), errors: [], runId })
    const pushing = pushOutbox(ctx, adapter, async () => {})
    let midway
    try {
      // The third call is out: the database holds what a process killed there would leave.
      await until(held.waiting, `the third ${method}`)
      midway = await state(connectionId, runId)
    } finally {
      held.letGo()
    }
    await pushing
    return { midway, after: await state(connectionId, runId), counts: ctx.counts }
  }

  const created = await push('upsertBatch')
  expect(created.midway).toEqual({ links: 200, queued: 100, pushed: 200, failed: 0 })
  expect(created.after).toEqual({ links: 300, queued: 0, pushed: 300, failed: 0 })
  expect(created.counts).toMatchObject({ pushed: 300, failed: 0 })

  // The same for updates: an app edit of each, three update calls of 100.
  await sql`update contacts set job_title = 'Counted' where tenant_id = ${tenant}`
  const updated = await push('updateBatch')
  expect(updated.midway).toEqual({ links: 300, queued: 100, pushed: 200, failed: 0 })
  expect(updated.after).toEqual({ links: 300, queued: 0, pushed: 300, failed: 0 })
})
