import { describe, expect, it } from 'vitest'
import { changeSettings } from '../../lib/crm/change-settings'
import { decideOpenConflicts, type OpenConflictsDecided } from '../../lib/crm/decide-open-conflicts'
import { applyPage, pageContext } from '../../lib/crm/pull/apply-page'
import { parseSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import type { Sql } from '../../lib/store/db'
import { emptyCounts } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { contactPage, duringAppEdit, hold, hours, onServer, SERVER_ONLY, session, track, until, waitsOnLock } from '../helpers/interleave'

// A run reads the connection's settings once, when it begins. A user who leaves manual review
// for an automatic strategy while it runs has the conflicts open at the save decided by it
// (the save's "decide open conflicts" pass); a page of that run must not then open one with
// the strategy it read before, to wait for a person nobody means to ask. A page about to open
// a conflict weighs it with the strategy as it is now, and a save under way waits for it.

const sql = testSql()
const MANUAL = parseSettings({ conflicts: { strategy: 'manual_review' } })

interface Linked { tenant: string; connection: string; localId: string; remoteId: string }

const contact = (remoteId: string, at: number, jobTitle: string): RemoteRecord =>
  ({ remoteId, fields: { email: `${remoteId}@race.test`, firstName: 'Ada', lastName: 'Base', jobTitle }, updatedAt: hours(at), createdAt: hours(0), archived: false })

/** A linked contact under manual review whose job title the app changed since: HubSpot's change of it is a conflict. */
async function appEdited(): Promise<Linked> {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await changeSettings(sql, tenant, connection, { conflictStrategy: 'manual_review' })
  const remoteId = `v${Math.floor(Math.random() * 1e9)}`
  await contactPage(sql, { tenant, connection }, MANUAL, [contact(remoteId, 0, 'Base title')])
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`
  await sql`update contacts set job_title = 'App title' where id = ${link.local_id}`
  return { tenant, connection, localId: link.local_id as string, remoteId }
}

/** The page of the run that began under manual review (its settings read then), with HubSpot's change of the job title; `commit` as the run's cursor write. */
const stalePage = (db: Sql, h: Linked, commit: () => Promise<void> = async () => {}) =>
  applyPage(pageContext(db, { tenantId: h.tenant, id: h.connection }, MANUAL, 'contact', { counts: emptyCounts(), errors: [] }),
    [contact(h.remoteId, 1, 'CRM title')], commit)

/** The dashboard's save of "HubSpot first" with its box ticked: the settings, then the open conflicts decided (app/api/crm/settings/route.ts). */
async function saveHubSpotFirst(db: Sql, h: Linked) {
  const updated = await changeSettings(db, h.tenant, h.connection, { conflictStrategy: 'source_priority' })
  return decideOpenConflicts(db, updated!)
}

const outcome = async (h: Linked) => ({
  jobTitle: (await sql`select job_title from contacts where id = ${h.localId}`)[0].job_title as string,
  open: (await sql`select fields from sync_conflicts where local_id = ${h.localId} and status = 'open'`).map((k) => k.fields as string[]),
})

it('a page of a run begun under manual review, after the save of an automatic strategy, settles its conflict with the strategy saved', async () => {
  const h = await appEdited()
  expect(await saveHubSpotFirst(sql, h)).toMatchObject({ decided: 0, left: 0 })
  await stalePage(sql, h)
  // With the run's strategy, a conflict opened after the save's pass had run, and stayed open.
  expect(await outcome(h)).toEqual({ jobTitle: 'CRM title', open: [] })
})

// On PGlite transactions run one at a time: a save cannot be under way inside a page.
describe.skipIf(!onServer)(`a page and a save of the strategy at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it('a save under way when the page would open the conflict: the page waits for it, and settles it with the strategy saved', async () => {
    const h = await appEdited()
    // What updateSettings does (the row locked for update, the settings written), its transaction not committed yet.
    await duringAppEdit(async (t) => {
      await t`select 1 from crm_connections where id = ${h.connection} for update`
      await t`update crm_connections set settings = ${t.json({ conflicts: { strategy: 'source_priority' } })} where id = ${h.connection}`
    }, (db) => stalePage(db, h))
    expect(await outcome(h)).toEqual({ jobTitle: 'CRM title', open: [] })
    expect(await sql`select 1 from sync_conflicts where local_id = ${h.localId}`).toEqual([])
  })

  it("a save begun after the page weighed its conflict waits for the page's commit, and its pass decides that conflict", async () => {
    const h = await appEdited()
    // The page is held on the record's link (another transaction has it): after it planned,
    // before it inserts its conflict (whose foreign key to the connection would make the save
    // wait anyway).
    const link = await hold((t) => t`select 1 from crm_links where connection_id = ${h.connection} and local_id = ${h.localId} for update`)
    const [puller, saver, watcher] = [await session(), await session(), await session()]
    try {
      const page = track(stalePage(puller.db, h))
      let saving: { p: Promise<OpenConflictsDecided>; settled: () => boolean } | undefined
      try {
        await until(async () => page.settled() || (await waitsOnLock(watcher.db, puller.pid)), 'the page waits on the link')
        saving = track(saveHubSpotFirst(saver.db, h))
        await until(async () => saving!.settled() || (await waitsOnLock(watcher.db, saver.pid)), 'the save waits on the page')
      } finally {
        await link.release()
      }
      await page.p
      // Not waiting, the save's pass ran before the page's commit and found nothing open; the
      // page's conflict then opened under "HubSpot first", for good.
      expect(await saving!.p).toMatchObject({ decided: 1, left: 0 })
    } finally {
      await Promise.all([puller, saver, watcher].map((s) => s.db.end({ timeout: 5 })))
    }
    expect(await outcome(h)).toEqual({ jobTitle: 'CRM title', open: [] })
  })
})
