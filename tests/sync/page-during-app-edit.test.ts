import { describe, expect, it } from 'vitest'
import { parseSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import type { Sql } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'
import { connectionWith, contactPage, duringAppEdit, hours, onServer, SERVER_ONLY } from '../helpers/interleave'

// A sync's page reads the app's rows it updates, weighs each field against the link's base,
// and writes the whole row back. An app write to such a row committed between the page's
// read and its write must not be written over with the value read before it: the page reads
// its rows under their lock, so the app's edit is either read (and weighed: sent, or a
// conflict where HubSpot changed the same field) or waits until the page commits.

const sql = testSql()
const settings = parseSettings({ conflicts: { strategy: 'manual_review' } })

interface Linked { tenant: string; connection: string; localId: string; remoteId: string }

const page = (db: Sql, h: Pick<Linked, 'tenant' | 'connection'>, records: RemoteRecord[]) => contactPage(db, h, settings, records)

const contact = (remoteId: string, at: number, fields: Record<string, string>): RemoteRecord =>
  ({ remoteId, fields: { email: `${remoteId}@race.test`, firstName: 'Ada', lastName: 'Base', jobTitle: 'Base title', ...fields },
    updatedAt: hours(at), createdAt: hours(0), archived: false })

async function linked(): Promise<Linked> {
  const tenant = await createTenant(sql)
  const connection = await connectionWith(sql, tenant, settings)
  const remoteId = `p${Math.floor(Math.random() * 1e9)}`
  await page(sql, { tenant, connection }, [contact(remoteId, 0, {})])
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`
  return { tenant, connection, localId: link.local_id as string, remoteId }
}

/** An app transaction has written the row (`set`) and not committed; the page runs until it waits on the row; then the app commits. */
const pageDuringAppEdit = (h: Linked, set: Record<string, string>, read: RemoteRecord) =>
  duringAppEdit((t) => t`update contacts set ${t(set)} where id = ${h.localId}`, (db) => page(db, h, [read]))

const row = async (h: Linked) => (await sql`select first_name, last_name, job_title from contacts where id = ${h.localId}`)[0]
const openConflict = async (h: Linked) =>
  (await sql`select fields, local_snapshot ->> 'jobTitle' as app, remote_snapshot ->> 'jobTitle' as crm from sync_conflicts where local_id = ${h.localId} and status = 'open'`)[0]
const queued = async (h: Linked) =>
  (await sql`select changed_fields from crm_outbox where local_id = ${h.localId} order by id`).flatMap((e) => e.changed_fields as string[])

// On PGlite transactions run one at a time: an app edit can never commit inside a page.
describe.skipIf(!onServer)(`a page and an app edit of the same record at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it("HubSpot changed another field: the page writes it beside the app's edit, which stays queued for the push", async () => {
    const h = await linked()
    await pageDuringAppEdit(h, { first_name: 'Edited' }, contact(h.remoteId, 1, { lastName: 'Later' }))
    // Read before the app's commit, the page wrote first_name back to 'Ada': the app's edit
    // was gone from the row, and the push then found nothing to send.
    expect(await row(h)).toEqual({ first_name: 'Edited', last_name: 'Later', job_title: 'Base title' })
    expect(await queued(h)).toContain('first_name')
  })

  it('HubSpot changed the same field: a conflict for a person (manual review), not the app edit written over', async () => {
    const h = await linked()
    await pageDuringAppEdit(h, { job_title: 'App title' }, contact(h.remoteId, 1, { jobTitle: 'CRM title' }))
    expect(await row(h)).toEqual({ first_name: 'Ada', last_name: 'Base', job_title: 'App title' })
    expect(await openConflict(h)).toEqual({ fields: ['jobTitle'], app: 'App title', crm: 'CRM title' })
  })
})
