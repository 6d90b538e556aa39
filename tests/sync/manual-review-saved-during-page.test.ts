import { describe, expect, it } from 'vitest'
import { changeSettings } from '../../lib/crm/change-settings'
import { applyPage, pageContext } from '../../lib/crm/pull/apply-page'
import { parseSettings, type ConnectionSettings } from '../../lib/crm/settings'
import type { RemoteRecord } from '../../lib/crm/types'
import type { Sql } from '../../lib/store/db'
import { emptyCounts } from '../../lib/store/runs'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { contactPage, duringAppEdit, hours, onServer, SERVER_ONLY } from '../helpers/interleave'

// The other way round from strategy-saved-during-page.test.ts: a run reads the connection's
// settings when it begins, under an automatic strategy ("HubSpot first" here), and the user
// then saves manual review. From that save on, a conflict a page finds is a person's to decide:
// the page weighs it with the strategy as it is now and opens it, instead of settling it with
// the strategy its run read. (What pages committed before the save settled stays settled.)

const sql = testSql()
const HUBSPOT_FIRST = parseSettings({ conflicts: { strategy: 'source_priority', sourcePriority: ['crm', 'app'] } })
const MANUAL = parseSettings({ conflicts: { strategy: 'manual_review' } })

interface Linked { tenant: string; connection: string; localId: string; remoteId: string }

const contact = (remoteId: string, at: number, fields: { firstName?: string; jobTitle?: string } = {}): RemoteRecord =>
  ({ remoteId, fields: { email: `${remoteId}@race.test`, firstName: 'Ada', lastName: 'Base', jobTitle: 'Base title', ...fields }, updatedAt: hours(at), createdAt: hours(0), archived: false })

/** A linked contact, synced under "HubSpot first", whose job title the app changed since: HubSpot's change of it is a conflict. */
async function appEdited(): Promise<Linked> {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await changeSettings(sql, tenant, connection, { conflictStrategy: 'source_priority' })
  const remoteId = `m${Math.floor(Math.random() * 1e9)}`
  await contactPage(sql, { tenant, connection }, HUBSPOT_FIRST, [contact(remoteId, 0)])
  const [link] = await sql`select local_id from crm_links where connection_id = ${connection} and remote_id = ${remoteId}`
  await sql`update contacts set job_title = 'App title' where id = ${link.local_id}`
  return { tenant, connection, localId: link.local_id as string, remoteId }
}

/** A page with HubSpot's change of the job title, of a run whose settings were read when it began. */
const page = (db: Sql, h: Linked, settings: ConnectionSettings, at: number, fields: { firstName?: string; jobTitle?: string } = { jobTitle: 'CRM title' }) =>
  applyPage(pageContext(db, { tenantId: h.tenant, id: h.connection }, settings, 'contact', { counts: emptyCounts(), errors: [] }),
    [contact(h.remoteId, at, fields)], async () => {})

const saveManualReview = (db: Sql, h: Linked) => changeSettings(db, h.tenant, h.connection, { conflictStrategy: 'manual_review' })

const outcome = async (h: Linked) => ({
  firstName: (await sql`select first_name from contacts where id = ${h.localId}`)[0].first_name as string,
  jobTitle: (await sql`select job_title from contacts where id = ${h.localId}`)[0].job_title as string,
  open: (await sql`select fields from sync_conflicts where local_id = ${h.localId} and status = 'open'`).map((k) => [...(k.fields as string[])].sort()),
})

it('a page of a run begun under "HubSpot first", after the save of manual review, opens its conflict for a person instead of settling it', async () => {
  const h = await appEdited()
  await saveManualReview(sql, h)
  await page(sql, h, HUBSPOT_FIRST, 1)
  // With the run's strategy, HubSpot's title was written over the app's, which no one had decided.
  expect(await outcome(h)).toEqual({ firstName: 'Ada', jobTitle: 'App title', open: [['jobTitle']] })
})

it('a record with a conflict open already: a field changed on both sides after the save of manual review joins it, not settled', async () => {
  const h = await appEdited()
  await saveManualReview(sql, h)
  // The title's conflict opened under manual review (a page of a later run).
  await page(sql, h, MANUAL, 1)
  await sql`update contacts set first_name = 'App Ada' where id = ${h.localId}`
  // The first name changed on both sides, read by a page of a run begun before the save.
  await page(sql, h, HUBSPOT_FIRST, 2, { jobTitle: 'CRM title', firstName: 'CRM Ada' })
  expect(await outcome(h)).toEqual({ firstName: 'App Ada', jobTitle: 'App title', open: [['firstName', 'jobTitle']] })
})

// On PGlite transactions run one at a time: a save cannot be under way inside a page.
describe.skipIf(!onServer)(`a page and a save of manual review at once (${onServer ? 'server' : SERVER_ONLY})`, () => {
  it('a save under way when the page would settle the conflict: the page waits for it, and opens the conflict', async () => {
    const h = await appEdited()
    // What updateSettings does (the row locked for update, the settings written), its transaction not committed yet.
    await duringAppEdit(async (t) => {
      await t`select 1 from crm_connections where id = ${h.connection} for update`
      await t`update crm_connections set settings = ${t.json({ conflicts: { strategy: 'manual_review' } })} where id = ${h.connection}`
    }, (db) => page(db, h, HUBSPOT_FIRST, 1))
    expect(await outcome(h)).toEqual({ firstName: 'Ada', jobTitle: 'App title', open: [['jobTitle']] })
  })
})
