import { describe, expect, it } from 'vitest'
import { conflictConfigSchema } from '../../lib/crm/conflicts/config'
import { decideWithStrategy } from '../../lib/crm/decide-open-conflicts'
import { CrmError } from '../../lib/crm/errors'
import { decideConflict } from '../../lib/crm/review'
import { parseSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import type { Sql } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'
import { connectionWith, contactPage, duringAppEdit, hours, onServer, SERVER_ONLY, session } from '../helpers/interleave'

// A decision on a conflict reads the app's row (its side of the conflict is the row as it is
// now) and then writes it. An app write to that row committed in between must not be written
// over: the decision reads the row under its lock, so the app's edit is either read (and a
// person's choice made on older values refused, 409) or waits until the decision commits.

const sql = testSql()
const settings = parseSettings({ conflicts: { strategy: 'manual_review' } })

interface Held { tenant: string; connection: string; localId: string; conflictId: number }

const page = (db: Sql, h: Pick<Held, 'tenant' | 'connection'>, records: RemoteRecord[]) => contactPage(db, h, settings, records)

const contact = (remoteId: string, at: number, jobTitle: string, lastName = 'Base'): RemoteRecord =>
  ({ remoteId, fields: { email: `${remoteId}@race.test`, firstName: 'Ada', lastName, jobTitle }, updatedAt: hours(at), createdAt: hours(0), archived: false })

/** Contacts whose job title both sides changed (the app to 'App title', HubSpot to 'CRM title'), each waiting in an open conflict. */
async function heldRecords(count: number): Promise<Array<Held & { remoteId: string }>> {
  const tenant = await createTenant(sql)
  const connection = await connectionWith(sql, tenant, settings)
  const ids = Array.from({ length: count }, (_, i) => `e${i}-${Math.floor(Math.random() * 1e9)}`)
  await page(sql, { tenant, connection }, ids.map((id) => contact(id, 0, 'Base title')))
  const out: Array<Held & { remoteId: string }> = []
  for (const remoteId of ids) {
    const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`
    await sql`update contacts set job_title = 'App title' where id = ${link.local_id}`
    out.push({ tenant, connection, localId: link.local_id as string, remoteId, conflictId: 0 })
  }
  await page(sql, { tenant, connection }, ids.map((id) => contact(id, 1, 'CRM title')))
  for (const h of out) {
    const [k] = await sql`select id, fields from sync_conflicts where local_id = ${h.localId} and status = 'open'`
    expect(k.fields).toEqual(['jobTitle'])
    h.conflictId = Number(k.id)
  }
  return out
}

const held = async (): Promise<Held> => (await heldRecords(1))[0]

/**
 * Stages the interleaving: an app transaction has written the row (job title 'App title,
 * newer') and not committed; `decide` runs until it waits on a lock (the row: the app side
 * read under it, or the write); then the app's transaction commits, and the decision finishes.
 */
const decidedDuringAppEdit = async <T>(h: Held, decide: (db: Sql) => Promise<T>): Promise<PromiseSettledResult<T>> =>
  (await Promise.allSettled([duringAppEdit((t) => t`update contacts set job_title = 'App title, newer' where id = ${h.localId}`, decide)]))[0]

const state = async (h: Held) => {
  const [row] = await sql`select job_title from contacts where id = ${h.localId}`
  const [k] = await sql`select status, resolution from sync_conflicts where id = ${h.conflictId}`
  return { jobTitle: row.job_title as string, status: k.status as string, resolution: k.resolution as Record<string, unknown> | null }
}

// On PGlite transactions run one at a time: an app edit can never commit inside a decision.
describe.skipIf(!onServer)(`a decision and an app edit of the same record at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it("a person's choice made on the values before the app's edit is refused (409), and the app's edit stands", async () => {
    const h = await held()
    const seen = { jobTitle: { local: 'App title', remote: 'CRM title' } }
    const result = await decidedDuringAppEdit(h, (db) => decideConflict(db, h.tenant, h.conflictId, { jobTitle: 'remote' }, { seen }))
    // Read without the row's lock, the choice passed the check on the old value, and its
    // write of HubSpot's value went over the app's newer edit, lost with no word.
    expect(result.status).toBe('rejected')
    const reason = (result as PromiseRejectedResult).reason
    expect(reason).toBeInstanceOf(CrmError)
    expect(reason).toMatchObject({ type: 'conflict', message: expect.stringMatching(/changed since \(jobTitle\)/) })
    expect(await state(h)).toEqual({ jobTitle: 'App title, newer', status: 'open', resolution: null })
    // The page shown again has the new value: its Apply goes through.
    const again = { jobTitle: { local: 'App title, newer', remote: 'CRM title' } }
    expect((await decideConflict(sql, h.tenant, h.conflictId, { jobTitle: 'remote' }, { seen: again })).status).toBe('resolved')
    expect((await state(h)).jobTitle).toBe('CRM title')
  })

  it("a strategy deciding meanwhile weighs the app's newer edit, the one that then goes to HubSpot", async () => {
    const h = await held()
    const config = conflictConfigSchema.parse({ strategy: 'source_priority', sourcePriority: ['app', 'crm'] })
    const result = await decidedDuringAppEdit(h, (db) => decideWithStrategy(db, h.tenant, { id: h.conflictId }, config))
    expect(result).toEqual({ status: 'fulfilled', value: 'decided' })
    expect(await state(h)).toMatchObject({ jobTitle: 'App title, newer', status: 'resolved',
      resolution: { choices: { jobTitle: 'local' }, toLocal: {}, toRemote: { jobTitle: 'App title, newer' }, decidedBy: 'source_priority' } })
  })
})

// Runs on both: on PGlite it is the sequential outcomes, on the server the real overlap. The
// decision takes the conflict, then the record's row, then its link; the page the conflicts,
// then rows and links; the app's writes the row alone: none waits for another in a circle.
it('decisions, app edits and a page over the same records at once neither deadlock nor fail', async () => {
  for (let round = 0; round < 3; round++) {
    const held = await heldRecords(4)
    const pools = [await session(), await session(), await session(), await session()]
    try {
      const work = [
        ...held.map((h, i) => decideConflict(pools[i % 2].db, h.tenant, h.conflictId, { jobTitle: i % 2 ? 'remote' : 'local' })),
        ...held.map((h, i) => pools[2].db.begin((t) => t`update contacts set job_title = ${`App title ${round}.${i}`}, first_name = 'Edited' where id = ${h.localId}`)),
        // A rep changed the last names: the page writes the rows too.
        page(pools[3].db, held[0], held.map((h) => contact(h.remoteId, 2, 'CRM title', 'Later'))),
      ]
      const results = await Promise.allSettled(work)
      expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))).toEqual([])
    } finally {
      await Promise.all(pools.map((s) => s.db.end({ timeout: 5 })))
    }
    for (const [i, h] of held.entries()) {
      expect((await state(h)).status).toBe('resolved')
      // Neither the page nor a decision wrote over the app's edit of another field, nor the page over the rep's.
      expect((await sql`select first_name, last_name from contacts where id = ${h.localId}`)[0], `record ${i}`).toEqual({ first_name: 'Edited', last_name: 'Later' })
    }
  }
})
