import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { connectionStatuses } from '../../lib/crm/status'
import { panelStatus } from '../../components/panel-status'
import { runHistory, syncProblems } from '../../lib/store/dashboard'
import { DISCONNECTED_OUTBOX_KEEP_DAYS, pruneHistory } from '../../lib/store/retention'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// The dashboard's per-object panels: the last sync stays visible however many webhook
// applies come after it, and what the webhooks applied is summed beside it. Old webhook
// history is pruned; a sync's own runs are kept.

const sql = testSql()

interface Run { type?: string; trigger: string; agoMinutes: number; created?: number; updated?: number; failed?: number; status?: string; error?: string; errors?: object[] }

async function insertRun(tenant: string, connection: string, r: Run): Promise<void> {
  await sql`insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status, started_at, finished_at, duration_ms, created, updated, failed, error, errors)
    values (${tenant}, ${connection}, ${randomUUID()}, ${r.type ?? 'contact'}, ${r.trigger}, ${r.status ?? 'success'},
            now() - make_interval(mins => ${r.agoMinutes}), now() - make_interval(mins => ${r.agoMinutes}), 5,
            ${r.created ?? 0}, ${r.updated ?? 0}, ${r.failed ?? 0}, ${r.error ?? null}, ${sql.json((r.errors ?? []) as never)})`
}

/**
 * What webhook applies left still failing: `waiting`, events that failed and wait to be
 * applied; `kept`, records kept to be read again. (The real-time line counts these, not runs.)
 */
interface Failing { waiting?: Array<{ type: string; id: string; error: string }>; kept?: Array<{ type: string; id: string; error: string }> }

async function addFailing(tenant: string, connection: string, f: Failing): Promise<void> {
  for (const e of f.waiting ?? []) {
    await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, attempts, error)
              values (${tenant}, ${connection}, ${randomUUID()}, ${`${e.type}.propertyChange`}, ${e.type}, ${e.id}, now(), '{}', 1, ${e.error})`
  }
  for (const k of f.kept ?? []) {
    await sql`insert into sync_retries (connection_id, object_type, remote_id, tenant_id, error) values (${connection}, ${k.type}, ${k.id}, ${tenant}, ${k.error})`
  }
}

async function withRuns(runs: Run[], failing: Failing = {}) {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  for (const r of runs) await insertRun(tenant, connection, r)
  await addFailing(tenant, connection, failing)
  const [view] = (await connectionStatuses(sql, tenant)).filter((c) => c.id === connection)
  return { tenant, connection, view }
}

describe('the dashboard per object', () => {
  it('shows the last sync, not a webhook apply after it, and sums the webhook applies of the last 24 hours beside it', async () => {
    const { view } = await withRuns([
      { trigger: 'cron', agoMinutes: 60, created: 40, updated: 3 },
      { trigger: 'webhook', agoMinutes: 30, updated: 2 },
      { trigger: 'webhook', agoMinutes: 2, created: 1, updated: 4, failed: 1, status: 'partial', error: 'one record refused',
        errors: [{ remoteId: '55', message: 'one record refused' }] },
      { trigger: 'webhook', agoMinutes: 25 * 60, updated: 100 }, // older than the window
      { type: 'deal', trigger: 'webhook', agoMinutes: 5, updated: 1 },
    ], { kept: [{ type: 'contact', id: '55', error: 'one record refused' }] })
    expect(view.objects.contact).toMatchObject({ trigger: 'cron', created: 40, updated: 3 })
    expect(view.realtime.contact).toMatchObject({ applied: 7, failed: 1, error: 'one record refused' })
    expect(Date.now() - Date.parse(view.realtime.contact!.lastAt)).toBeLessThan(3 * 60_000)
    // Deals were only ever applied by webhooks: no sync yet, but the real-time line.
    expect(view.objects.deal).toBeNull()
    expect(view.realtime.deal).toMatchObject({ applied: 1, failed: 0, error: null })
    expect(view.realtime.company).toBeNull()
  })

  it("a webhook apply that failed after the last sync turns the panel's icon red; one that then went through turns it back", async () => {
    const { tenant, connection, view } = await withRuns([
      { trigger: 'cron', agoMinutes: 60, created: 40 },
      { trigger: 'webhook', agoMinutes: 5, failed: 3, status: 'failed', error: 'HubSpot answered 503' },
      { type: 'deal', trigger: 'webhook', agoMinutes: 90, failed: 1, status: 'failed', error: 'before the sync' },
      { type: 'deal', trigger: 'cron', agoMinutes: 60 },
    ], { waiting: [1, 2, 3].map((id) => ({ type: 'contact', id: String(id), error: 'HubSpot answered 503' })).concat({ type: 'deal', id: '9', error: 'before the sync' }) })
    expect(view.objects.contact?.status).toBe('success')
    expect(view.realtime.contact?.failed).toBe(3)
    expect(panelStatus(view.objects.contact, view.realtime.contact)).toEqual({ status: 'failed', label: 'Real-time updates failed after the last sync' })
    expect(panelStatus(view.objects.deal, view.realtime.deal)).toEqual({ status: 'success' })

    await insertRun(tenant, connection, { trigger: 'webhook', agoMinutes: 1, updated: 3 })
    await sql`update webhook_events set processed_at = now(), error = null where connection_id = ${connection} and object_type = 'contact'`
    const [after] = (await connectionStatuses(sql, tenant)).filter((c) => c.id === connection)
    expect(panelStatus(after.objects.contact, after.realtime.contact)).toEqual({ status: 'success' })
  })

  it('the run history lists syncs, not webhook applies', async () => {
    const { tenant, connection } = await withRuns([
      { trigger: 'initial', agoMinutes: 120 }, { trigger: 'webhook', agoMinutes: 90 }, { trigger: 'manual', agoMinutes: 60 }, { trigger: 'webhook', agoMinutes: 1 },
    ])
    expect((await runHistory(sql, tenant, connection)).map((p) => p.trigger)).toEqual(['initial', 'manual'])
  })
})

describe('syncProblems', () => {
  it("lists the records still failing (kept to be read again), the day's webhook batches still waiting, and the changes the CRM refused", async () => {
    const { tenant, connection } = await withRuns([
      { trigger: 'cron', agoMinutes: 120, failed: 1, errors: [{ remoteId: '900', message: 'fixed since' }] }, // superseded by the next sync
      { trigger: 'manual', agoMinutes: 60, failed: 2, status: 'partial', errors: [
        { remoteId: '901', message: 'value too long for type character varying(255)' },
        { localId: randomUUID(), message: 'a push error: the outbox has the ones still failing' },
        { remoteId: '902', message: 'invalid input syntax' },
        { remoteId: '904', message: 'went in since: no longer kept, not listed' },
      ] },
      { trigger: 'webhook', agoMinutes: 10, failed: 1, status: 'partial', errors: [{ message: '[rate_limited] daily limit reached' }] },
      { trigger: 'webhook', agoMinutes: 30 * 60, failed: 1, status: 'partial', errors: [{ message: 'too old to show' }] },
      { type: 'company', trigger: 'cron', agoMinutes: 5, status: 'running', errors: [{ remoteId: '5', message: 'a run still going is not shown' }] },
    ])
    // A contact whose update failed is named by its email; one never written, by the CRM's id.
    const [contact] = await sql`insert into contacts (tenant_id, email) values (${tenant}, 'known@example.com') returning id`
    await sql`insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, origin, match_reason)
              values (${tenant}, ${connection}, 'contact', ${contact.id}, '901', 'crm', 'created')`
    const [deal] = await sql`insert into deals (tenant_id, name) values (${tenant}, 'Refused deal') returning id`
    await sql`update crm_outbox set attempts = 2, last_error = 'Property values were not valid', next_attempt_at = now() + interval '10 minutes'
               where connection_id = ${connection} and local_id = ${deal.id}`
    // The webhook batch's events still wait to be applied.
    await sql`insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, attempts, error)
              values (${tenant}, ${connection}, 'k1', 'contact.propertyChange', 'contact', '903', now(), '{}', 1, '[rate_limited] daily limit reached')`
    const rows = await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection} and local_id = ${deal.id}`
    expect(rows[0].n).toBe(1)

    // Kept to be read again: listed once, with its attempts; and one that failed in a sync
    // no longer the last, still waiting.
    await sql`insert into sync_retries (connection_id, object_type, remote_id, tenant_id, error, attempts, last_failed_at, next_attempt_at)
              values (${connection}, 'contact', '901', ${tenant}, 'value too long for type character varying(255)', 1, now() - interval '60 minutes', now()),
                     (${connection}, 'contact', '902', ${tenant}, 'invalid input syntax', 3, now() - interval '61 minutes', now() + interval '2 hours'),
                     (${connection}, 'company', '77', ${tenant}, 'value too long', 6, now() - interval '3 days', now() + interval '20 hours')`

    const problems = await syncProblems(sql, tenant, connection)
    expect(problems.map((p) => [p.objectType, p.direction, p.record, p.message])).toEqual([
      ['deal', 'push', 'Refused deal', 'Property values were not valid'],
      ['contact', 'pull', 'a batch of webhook events', '[rate_limited] daily limit reached'],
      ['contact', 'pull', 'known@example.com', 'value too long for type character varying(255)'],
      ['contact', 'pull', '902', 'invalid input syntax'],
      ['company', 'pull', '77', 'value too long'],
    ])
    expect(problems[0]).toMatchObject({ attempts: 2 })
    expect(problems[2]).toMatchObject({ attempts: 1 })
    expect(problems[3]).toMatchObject({ attempts: 3 })
    expect(problems[4]).toMatchObject({ attempts: 6 })
  })
})

describe('pruneHistory', () => {
  it('deletes webhook applies and applied webhook events past the keep, and nothing else', async () => {
    const day = 24 * 60
    const { tenant, connection } = await withRuns([
      { trigger: 'webhook', agoMinutes: 8 * day }, // pruned
      { trigger: 'webhook', agoMinutes: 8 * day, status: 'running' }, // a run still going is left alone
      { trigger: 'webhook', agoMinutes: 6 * day },
      { trigger: 'cron', agoMinutes: 30 * day },
      { trigger: 'initial', agoMinutes: 90 * day },
    ])
    const event = (key: string, processedDaysAgo: number | null, attempts = 1) => sql`
      insert into webhook_events (tenant_id, connection_id, event_key, subscription_type, occurred_at, payload, processed_at, attempts)
      values (${tenant}, ${connection}, ${key}, 'contact.propertyChange', now() - interval '9 days', '{}',
              ${processedDaysAgo === null ? null : sql`now() - make_interval(days => ${processedDaysAgo})`}, ${attempts})`
    await event('old-applied', 8)
    await event('recent-applied', 1)
    await event('old-pending', null)
    await event('old-failed', null, 10)

    await pruneHistory(sql)
    const runs = await sql`select trigger, status from sync_runs where connection_id = ${connection} order by started_at`
    expect(runs.map((r) => `${r.trigger}/${r.status}`)).toEqual(['initial/success', 'cron/success', 'webhook/running', 'webhook/success'])
    const events = await sql`select event_key from webhook_events where connection_id = ${connection} order by event_key`
    expect(events.map((e) => e.event_key)).toEqual(['old-failed', 'old-pending', 'recent-applied'])
  })

  it("lets a connection's outbox go once it has been disconnected past the keep, and only then", async () => {
    const tenant = await createTenant(sql)
    const [old, recent, live] = [await insertConnection(sql, tenant, '1'), await insertConnection(sql, tenant, '2'), await insertConnection(sql, tenant, '3')]
    await sql`insert into contacts (tenant_id, email) values (${tenant}, 'kept@a.io')` // queued for each of the three
    await sql`update crm_connections set status = 'disconnected' where id in (${old}, ${recent})`
    // Back-dated past the touch trigger, which would set updated_at to now.
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`
      await tx`update crm_connections set updated_at = now() - make_interval(days => ${DISCONNECTED_OUTBOX_KEEP_DAYS + 1}) where id in (${old}, ${live})`
    })
    const queued = async () => (await sql`select connection_id, count(*)::int as n from crm_outbox where tenant_id = ${tenant} group by 1`)
      .reduce((m, r) => ({ ...m, [r.connection_id]: r.n }), {} as Record<string, number>)
    expect(await queued()).toEqual({ [old]: 1, [recent]: 1, [live]: 1 })
    expect((await pruneHistory(sql)).outbox).toBeGreaterThanOrEqual(1)
    expect(await queued()).toEqual({ [recent]: 1, [live]: 1 })
  })

  it('deletes at most `limit` of each per call, so a backlog goes over several calls', async () => {
    const { connection } = await withRuns(Array.from({ length: 5 }, () => ({ trigger: 'webhook', agoMinutes: 10 * 24 * 60 })))
    const left = async () => (await sql`select count(*)::int as n from sync_runs where connection_id = ${connection}`)[0].n
    // Other files' old rows may be pruned too; this connection's five go within three calls of two.
    for (let i = 0; i < 3 && (await left()) > 0; i++) await pruneHistory(sql, { limit: 2 })
    expect(await left()).toBe(0)
  })
})
