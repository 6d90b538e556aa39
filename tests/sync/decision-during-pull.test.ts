import { describe, expect, it } from 'vitest'
import { applyArchived, pageContext } from '../../lib/crm/pull/apply-page'
import { fieldEntry } from '../../lib/crm/reference-entry'
import { decideConflict } from '../../lib/crm/review'
import { parseSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import type { Sql } from '../../lib/store/db'
import { loadLinksByLocal } from '../../lib/store/links'
import { emptyCounts } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { connectionWith, contactPage, holdContact, hours, onServer, SERVER_ONLY, session, track, until, waitsOnLock } from '../helpers/interleave'

// A person deciding a conflict while a sync's page holding that record is being applied:
// the decision is final whichever commits first. The page must not write back the link's
// base from before the decision (the next pull would take HubSpot's rejected value for a
// fresh edit) nor open the decided conflict again, and the decision applies on top of what
// the page wrote if the page came first.

const sql = testSql()
const settings = parseSettings({ conflicts: { strategy: 'manual_review' } })

interface Held { tenant: string; connection: string; localId: string; remoteId: string; conflictId: number }

const page = (db: Sql, h: Pick<Held, 'tenant' | 'connection'>, records: RemoteRecord[]) => contactPage(db, h, settings, records)

const deleted = (db: Sql, h: Held) =>
  applyArchived(pageContext(db, { tenantId: h.tenant, id: h.connection }, settings, 'contact', { counts: emptyCounts(), errors: [] }), [h.remoteId], async () => {})

const contact = (remoteId: string, at: number, fields: Record<string, string>): RemoteRecord =>
  ({ remoteId, fields: { email: `${remoteId}@race.test`, firstName: 'Ada', ...fields }, updatedAt: hours(at), createdAt: hours(0), archived: false })

/** Records whose job title both sides changed (the app to 'App title', HubSpot to 'CRM title'), each waiting in an open conflict. */
async function heldRecords(count: number): Promise<Held[]> {
  const tenant = await createTenant(sql)
  const connection = await connectionWith(sql, tenant, settings)
  const ids = Array.from({ length: count }, (_, i) => `r${i}-${Math.floor(Math.random() * 1e9)}`)
  await page(sql, { tenant, connection }, ids.map((id) => contact(id, 0, { lastName: 'Base', jobTitle: 'Base title' })))
  const links = await sql`select local_id, remote_id from crm_links where connection_id = ${connection} and remote_id = any(${ids})`
  const localOf = new Map(links.map((l) => [l.remote_id as string, l.local_id as string]))
  await sql`update contacts set job_title = 'App title' where id = any(${[...localOf.values()]}::uuid[])`
  await page(sql, { tenant, connection }, ids.map((id) => contact(id, 1, { lastName: 'Base', jobTitle: 'CRM title' })))
  const out: Held[] = []
  for (const remoteId of ids) {
    const localId = localOf.get(remoteId)!
    const [k] = await sql`select id, fields from sync_conflicts where local_id = ${localId} and status = 'open'`
    expect(k.fields).toEqual(['jobTitle'])
    out.push({ tenant, connection, localId, remoteId, conflictId: Number(k.id) })
  }
  return out
}

/** HubSpot's next read of the record: a rep changed its last name (and, given, the job title again). */
const laterRead = (h: Held, jobTitle = 'CRM title') => contact(h.remoteId, 2, { lastName: 'Later', jobTitle })

async function state(h: Held) {
  const [row] = await sql`select job_title, last_name from contacts where id = ${h.localId}`
  const open = await sql`select id from sync_conflicts where local_id = ${h.localId} and status = 'open'`
  const base = (await loadLinksByLocal(sql, h.connection, 'contact', [h.localId])).get(h.localId)!.fieldHashes.jobTitle
  return { jobTitle: row.job_title, lastName: row.last_name, open: open.length, base }
}

/** What the decision leaves once the page is in too: the CRM value it covered is the base, nothing left open. */
async function expectFinal(h: Held, local: { jobTitle: string }, crmSeen = 'CRM title') {
  expect(await state(h)).toEqual({ ...local, lastName: 'Later', open: 0, base: fieldEntry('jobTitle', crmSeen) })
  // And the next read of the same record is no news: HubSpot's value is not taken for a new
  // edit of its own, so nothing is asked again; the app's value (if it differs) is pushed.
  await page(sql, h, [contact(h.remoteId, 3, { lastName: 'Later', jobTitle: crmSeen })])
  expect((await state(h)).open).toBe(0)
  expect((await state(h)).jobTitle).toBe(local.jobTitle)
}

/**
 * Stages one interleaving: another transaction holds the record's row; `first` runs until it
 * waits for that row (in the middle of its transaction, after its reads); `second` then runs
 * until it has committed or waits on a lock (held by `first`); the row is let go, and both
 * finish. Returns what each gave.
 */
async function interleave<A, B>(h: Held, first: (db: Sql) => Promise<A>, second: (db: Sql) => Promise<B>): Promise<[A, B]> {
  const [one, two] = [await session(), await session()]
  try {
    const row = await holdContact(h.localId)
    const a = track(first(one.db))
    let b: ReturnType<typeof track<B>> | undefined
    try {
      await until(async () => a.settled() || (await waitsOnLock(sql, one.pid)), 'the first waits on the held row')
      b = track(second(two.db))
      await until(async () => b!.settled() || (await waitsOnLock(sql, two.pid)), 'the second commits or waits')
    } finally {
      await row.release()
    }
    return await Promise.all([a.p, b.p])
  } finally {
    await Promise.all([one, two].map((s) => s.db.end({ timeout: 5 })))
  }
}

// On PGlite a decision can never land in the middle of a page: see tests/helpers/interleave.ts.
describe.skipIf(!onServer)(`a decision and a page of the same record at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it("a decision committed between the page's reads and its writes stays final: the page neither restores the old base nor asks again", async () => {
    const [h] = await heldRecords(1)
    // The page reads the record, its link and its open conflict, then waits to write the
    // row; a person keeps the app's value meanwhile (the decision writes no row itself).
    const [, decision] = await interleave(h,
      (db) => page(db, h, [laterRead(h)]),
      (db) => decideConflict(db, h.tenant, h.conflictId, { jobTitle: 'local' }))
    expect(decision.status).toBe('resolved')
    await expectFinal(h, { jobTitle: 'App title' })
  })

  it('a decision under way when the page starts: the page waits for it, then reads what it wrote', async () => {
    const [h] = await heldRecords(1)
    // HubSpot's value taken: the decision writes the row, and waits there holding its conflict.
    const [decision] = await interleave(h,
      (db) => decideConflict(db, h.tenant, h.conflictId, { jobTitle: 'remote' }),
      (db) => page(db, h, [laterRead(h)]))
    expect(decision.status).toBe('resolved')
    await expectFinal(h, { jobTitle: 'CRM title' })
  })

  it('a page under way when the decision comes: the decision waits, then applies on top of the conflict as the page left it', async () => {
    const [h] = await heldRecords(1)
    // The rep changed the held field again: the page refreshes the conflict with that value.
    const [, decision] = await interleave(h,
      (db) => page(db, h, [laterRead(h, 'CRM title 2')]),
      (db) => decideConflict(db, h.tenant, h.conflictId, { jobTitle: 'local' }))
    expect(decision).toEqual({ status: 'resolved', toLocal: {}, toRemote: { jobTitle: 'App title' } })
    // The base is the CRM value the decision now covers, so the next read is no news either.
    await expectFinal(h, { jobTitle: 'App title' }, 'CRM title 2')
  })

  it('HubSpot deletes the record while a decision on it is under way: the deletion waits for it (no deadlock), then archives the record', async () => {
    const [h] = await heldRecords(1)
    // Taken the other way (the link, then the conflict) the two would each wait for the other.
    const [decision] = await interleave(h,
      (db) => decideConflict(db, h.tenant, h.conflictId, { jobTitle: 'remote' }),
      (db) => deleted(db, h))
    expect(decision.status).toBe('resolved')
    const [row] = await sql`select job_title, archived_at from contacts where id = ${h.localId}`
    expect(row.job_title).toBe('CRM title')
    expect(row.archived_at).not.toBeNull()
    const [k] = await sql`select status from sync_conflicts where id = ${h.conflictId}`
    expect(k.status).toBe('resolved')
  })
})

// Runs on both: on PGlite it is the sequential outcomes, on the server the real overlap.
it('decisions and a page over the same records at once neither deadlock nor undo each other', async () => {
  for (let round = 0; round < 3; round++) {
    const held = await heldRecords(4)
    const pools = [await session(), await session(), await session()]
    try {
      const decisions = held.map((h, i) => decideConflict(pools[i % 2].db, h.tenant, h.conflictId, { jobTitle: i % 2 ? 'remote' : 'local' }))
      const results = await Promise.allSettled([page(pools[2].db, held[0], held.map((h) => laterRead(h))), ...decisions])
      expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    } finally {
      await Promise.all(pools.map((s) => s.db.end({ timeout: 5 })))
    }
    for (const [i, h] of held.entries()) await expectFinal(h, { jobTitle: i % 2 ? 'CRM title' : 'App title' })
  }
})
