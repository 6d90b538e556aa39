import { describe, expect, it } from 'vitest'
import { parseSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import type { Sql } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'
import { connectionWith, contactPage, duringAppEdit, hours, onServer, SERVER_ONLY } from '../helpers/interleave'

// A page that follows a merge reads the merged-away local record, carries its unpushed edits
// to the survivor's, and archives it (or, with no survivor in the app, checks the app has not
// deleted it before moving its link). An app write to that record committed between the read
// and the archive must not be lost: the page reads it under its row's lock, so the write is
// read (and carried) or waits until the page commits.

const sql = testSql()
const settings = parseSettings({ conflicts: { strategy: 'manual_review' } })

interface Pair { tenant: string; connection: string; survivor: string; gone: string; goneLocal: string }

const page = (db: Sql, h: Pick<Pair, 'tenant' | 'connection'>, records: RemoteRecord[]) => contactPage(db, h, settings, records)

const contact = (remoteId: string, at: number, merged?: string[]): RemoteRecord =>
  ({ remoteId, fields: { email: `${remoteId}@race.test`, firstName: 'Ada', lastName: remoteId, jobTitle: 'Base title' },
    updatedAt: hours(at), createdAt: hours(0), archived: false, mergedRemoteIds: merged })

const localOf = async (h: Pick<Pair, 'connection'>, remoteId: string) =>
  (await sql`select local_id from crm_links where connection_id = ${h.connection} and remote_id = ${remoteId}`)[0]?.local_id as string | undefined

/** Two linked contacts (or only the one HubSpot then merges away, `both` false). */
async function pair(both: boolean): Promise<Pair> {
  const tenant = await createTenant(sql)
  const connection = await connectionWith(sql, tenant, settings)
  const n = Math.floor(Math.random() * 1e9)
  const [survivor, gone] = [`s${n}`, `g${n}`]
  await page(sql, { tenant, connection }, both ? [contact(survivor, 0), contact(gone, 0)] : [contact(gone, 0)])
  return { tenant, connection, survivor, gone, goneLocal: (await localOf({ connection }, gone))! }
}

/** HubSpot merged `gone` into `survivor`: the page that reads the survivor, with the app's write of the merged-away row in flight. */
const mergeDuringAppEdit = (h: Pair, write: Parameters<typeof duringAppEdit>[0]) =>
  duringAppEdit(write, (db) => page(db, h, [contact(h.survivor, 1, [h.gone])]))

// On PGlite transactions run one at a time: an app edit can never commit inside a page.
describe.skipIf(!onServer)(`a page following a merge and an app edit of the merged-away record at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it("the app's edit of the merged-away record is carried to the survivor, and queued for HubSpot", async () => {
    const h = await pair(true)
    const survivorLocal = (await localOf(h, h.survivor))!
    await mergeDuringAppEdit(h, (t) => t`update contacts set job_title = 'App title' where id = ${h.goneLocal}`)
    // Read before the app's commit, the merged-away record carried nothing and was archived
    // with the edit on it: the survivor kept 'Base title', and HubSpot never heard of it.
    expect((await sql`select job_title from contacts where id = ${survivorLocal}`)[0]).toEqual({ job_title: 'App title' })
    expect((await sql`select archived_at from contacts where id = ${h.goneLocal}`)[0].archived_at).not.toBeNull()
    const queued = await sql`select changed_fields from crm_outbox where local_id = ${survivorLocal}`
    expect(queued.flatMap((e) => e.changed_fields as string[])).toContain('job_title')
  })

  it("the app deleted the merged-away record (no survivor in the app): its link does not follow the survivor, and the delete is not sent", async () => {
    const h = await pair(false)
    await mergeDuringAppEdit(h, (t) => t`delete from contacts where id = ${h.goneLocal}`)
    // Read before the delete's commit, the record was followed: the survivor's link named the
    // deleted row, and the delete waited in the outbox to archive the survivor in HubSpot.
    expect(await localOf(h, h.survivor)).not.toBe(h.goneLocal)
    expect(await sql`select op from crm_outbox where local_id = ${h.goneLocal}`).toEqual([])
  })
})
