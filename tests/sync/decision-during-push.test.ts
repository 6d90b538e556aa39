import { describe, expect, it } from 'vitest'
import { pageContext } from '../../lib/crm/pull/apply-page'
import { pushOutbox } from '../../lib/crm/push/push-outbox'
import { fieldEntry } from '../../lib/crm/reference-entry'
import { decideConflict } from '../../lib/crm/review'
import { parseSettings } from '../../lib/crm/settings'
import { adapterForConnection, runSync } from '../../lib/crm/sync-service'
import { getConnection } from '../../lib/store/connections'
import { loadLinksByLocal } from '../../lib/store/links'
import { enqueuePush } from '../../lib/store/outbox'
import { emptyCounts } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { holdContact, onServer, session, SERVER_ONLY, track, until, waitsOnLock } from '../helpers/interleave'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'

// The push reads a record's link, sends the app's edits, and records what the CRM then holds
// on the link. A person's decision on another field of the record, made while the push was
// out at the CRM, set that field's base on the link: the push must keep it, not write back
// the base it read before (the next pull would take HubSpot's rejected value for a fresh
// edit, and ask again). The push is not in a transaction while it waits for the CRM, so this
// interleaving happens on PGlite as on a server.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 1, companies: 0, deals: 0, owners: 1, seed: 57 })

interface SandboxRecord { id: string; properties: Record<string, string | null> }

/** A contact whose job title waits in an open conflict (the app's `app`, HubSpot's `crm`), and an app edit of its last name to push. */
let round = 0
async function heldWithEdit() {
  // The sandbox outlives each test's connection: fresh values keep every test's edits real edits.
  const n = ++round
  const [app, crm, lastName] = [`App title ${n}`, `CRM title ${n}`, `Pushed ${n}`]
  const tenant = await createTenant(sql)
  const connectionId = await sandboxConnection(sql, sandbox, tenant, { conflicts: { strategy: 'manual_review' } })
  const sync = () => runSync(sql, { connectionId, trigger: 'manual', objects: ['owner', 'contact'] })
  await sync()
  const [c] = await sql`select c.id, l.remote_id from contacts c join crm_links l on l.local_id = c.id
                         where l.connection_id = ${connectionId} order by c.id limit 1`
  const [localId, remoteId] = [c.id as string, c.remote_id as string]
  // Both sides change the job title (HubSpot last): it waits for a person.
  await sql`update contacts set job_title = ${app} where id = ${localId}`
  await new Promise((r) => setTimeout(r, 5))
  await control(sandbox, 'PATCH', `/rep/contacts/${remoteId}`, { properties: { jobtitle: crm } })
  await sync()
  const [k] = await sql`select id, fields from sync_conflicts where local_id = ${localId} and status = 'open'`
  expect(k.fields).toEqual(['jobTitle'])
  // An app edit of another field, for the push to send.
  await sql`update contacts set last_name = ${lastName} where id = ${localId}`
  const connection = (await getConnection(sql, connectionId))!
  const settings = parseSettings(connection.settings)
  const adapter = adapterForConnection(sql, connection, settings)
  return { tenant, connectionId, connection, settings, adapter, sync, localId, remoteId, conflictId: Number(k.id), app, crm, lastName }
}

it("a decision made while the push is out at the CRM stays final: the push records only the fields it sent on the link", async () => {
  const { tenant, connectionId, connection, settings, adapter, sync, localId, remoteId, conflictId, app, crm, lastName } = await heldWithEdit()
  const send = adapter.updateBatch.bind(adapter)
  let decided = false
  adapter.updateBatch = async (type, inputs) => {
    if (!decided) {
      decided = true
      // The person keeps the app's job title while the push's request is out.
      expect((await decideConflict(sql, tenant, conflictId, { jobTitle: 'local' })).status).toBe('resolved')
    }
    return send(type, inputs)
  }
  const ctx = pageContext(sql, connection, settings, 'contact', { counts: emptyCounts(), errors: [] })
  // One round: the decision's own push of the job title waits for the next run (a stop, a
  // failed round, or simply the order of rounds may leave it there).
  let rounds = 0
  await pushOutbox(ctx, adapter, async () => {}, () => rounds++ > 0)
  expect(decided).toBe(true)
  expect(ctx.counts).toMatchObject({ pushed: 1, failed: 0 })
  const link = (await loadLinksByLocal(sql, connectionId, 'contact', [localId])).get(localId)!
  expect(link.fieldHashes.jobTitle).toBe(fieldEntry('jobTitle', crm))
  expect(link.fieldHashes.lastName).toBe(fieldEntry('lastName', lastName))

  // The next sync asks nothing again: HubSpot's job title is what the person saw and
  // rejected, the app's goes out.
  const next = await sync()
  expect(next.objects.contacts).toMatchObject({ conflicts: 0, failed: 0 })
  expect(await sql`select id from sync_conflicts where local_id = ${localId} and status = 'open'`).toHaveLength(0)
  const remote = (await control<SandboxRecord>(sandbox, 'GET', `/records/contacts/${remoteId}`)).properties
  expect({ jobtitle: remote.jobtitle, lastname: remote.lastname }).toEqual({ jobtitle: app, lastname: lastName })
  expect((await sql`select job_title from contacts where id = ${localId}`)[0].job_title).toBe(app)
})

describe.skipIf(!onServer)(`a decision and the push's write of the same record at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it('the push takes the conflict before the link, as the decision does: no deadlock, and the decision stands', async () => {
    const r = await heldWithEdit()
    // The app's job title is queued again, unchanged: the push holds it, refreshing the
    // conflict's app side (it writes the conflict) in the transaction that writes the link.
    await enqueuePush(sql, r.tenant, r.connectionId, 'contact', [{ localId: r.localId, columns: ['job_title'] }])
    const [pusher, decider] = [await session(), await session()]
    const row = await holdContact(r.localId)
    try {
      const send = r.adapter.updateBatch.bind(r.adapter)
      let deciding: ReturnType<typeof track<unknown>> | undefined
      r.adapter.updateBatch = async (type, inputs) => {
        if (!deciding) {
          // While the push is out: a person takes HubSpot's value. The decision holds the
          // conflict and waits to write the row.
          deciding = track(decideConflict(decider.db, r.tenant, r.conflictId, { jobTitle: 'remote' }))
          await until(async () => deciding!.settled() || (await waitsOnLock(sql, decider.pid)), 'the decision waits on the held row')
        }
        return send(type, inputs)
      }
      const ctx = pageContext(pusher.db, r.connection, r.settings, 'contact', { counts: emptyCounts(), errors: [] })
      let rounds = 0
      const pushing = track(pushOutbox(ctx, r.adapter, async () => {}, () => rounds++ > 0))
      // The push's write waits for the decision's conflict.
      await until(async () => pushing.settled() || (await waitsOnLock(sql, pusher.pid)), 'the push waits on the conflict')
      await row.release()
      const results = await Promise.allSettled([pushing.p, deciding!.p])
      expect(results.map((x) => x.status === 'rejected' ? String(x.reason) : 'ok')).toEqual(['ok', 'ok'])
      expect(ctx.counts).toMatchObject({ pushed: 1, failed: 0 })
    } finally {
      await row.release().catch(() => {})
      await Promise.all([pusher, decider].map((s) => s.db.end({ timeout: 5 })))
    }
    const link = (await loadLinksByLocal(sql, r.connectionId, 'contact', [r.localId])).get(r.localId)!
    expect(link.fieldHashes.jobTitle).toBe(fieldEntry('jobTitle', r.crm))
    expect((await sql`select job_title, last_name from contacts where id = ${r.localId}`)[0]).toEqual({ job_title: r.crm, last_name: r.lastName })
    const [k] = await sql`select status from sync_conflicts where id = ${r.conflictId}`
    expect(k.status).toBe('resolved')
  })
})
