import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { forgetWebhookTargets } from '../../lib/crm/webhooks/hubspot/receive'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// The app deletes (or archives) its copy of a contact, and before that delete is pushed a rep
// merges the contact into another one the app never imported. A sync pulls before it pushes,
// so it sees the merge first: the delete must not follow the copy to the survivor, whose id
// the push's guard (push/merged-away.ts) would not catch, and archive it in HubSpot.

const sql = testSql()
// Keep-id merges (the primary keeps its id: HubSpot's way before its merge change, and still for deals); merges-new-id.test.ts covers the new-id one.
const sandbox = await testSandbox({ contacts: 0, companies: 0, deals: 0, owners: 1, seed: 92, config: { mergeNewId: false } })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })
let nextEventId = 94_000

const uniq = () => randomUUID().slice(0, 8)
const newContact = (props: Record<string, string> = {}) =>
  control<{ id: string }>(sandbox, 'POST', '/rep/contacts', { properties: { email: `d-${uniq()}@example.com`, ...props } })
const merge = (survivor: string, gone: string) =>
  control(sandbox, 'POST', '/rep/contacts/merge', { primaryObjectId: survivor, objectIdToMerge: gone })
const inHubSpot = (id: string) => control<{ archived?: boolean; properties: Record<string, string | null> }>(sandbox, 'GET', `/records/contacts/${id}`)

/** A contact the app imported, then a survivor it never had: created after that sync. */
async function setup() {
  const tenant = await createTenant(sql)
  const connection = await sandboxConnection(sql, sandbox, tenant, { lookbackMs: 0 })
  const sync = () => runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
  const linkOf = async (remoteId: string) =>
    (await sql`select local_id from crm_links where connection_id = ${connection} and object_type = 'contact' and remote_id = ${remoteId}`)[0]?.local_id as string | undefined
  const gone = await newContact({ jobtitle: 'Gone' })
  await sync()
  const goneLocal = (await linkOf(gone.id))!
  const survivor = await newContact({ lastname: 'Survivor with its own data' })
  const mergeWebhook = async () => {
    // Deliveries go to the portal's connections as a cache saw them up to 5 s ago: this test's is new.
    forgetWebhookTargets()
    const res = await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([{
      eventId: nextEventId++, subscriptionId: 27, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
      subscriptionType: 'contact.merge', attemptNumber: 0, objectId: Number(survivor.id), changeSource: 'CRM_UI',
      primaryObjectId: Number(survivor.id), mergedObjectIds: [Number(gone.id)], newObjectId: Number(survivor.id),
    }])))
    expect(res.status).toBe(200)
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', failedEvents: 0 })
  }
  /** The app's copy stays gone, nothing waits to be sent, and HubSpot's survivor is alive and imported as itself. */
  const survivorKept = async (copyGone: 'deleted' | 'archived') => {
    const s = await inHubSpot(survivor.id)
    expect(s.archived ?? false).toBe(false)
    expect(s.properties).toMatchObject({ lastname: 'Survivor with its own data' })
    const [copy] = await sql`select archived_at from contacts where id = ${goneLocal}`
    if (copyGone === 'deleted') expect(copy).toBeUndefined()
    else expect(copy.archived_at).not.toBeNull()
    expect(await sql`select 1 from crm_outbox where connection_id = ${connection}`).toHaveLength(0)
    expect(await linkOf(gone.id)).toBeUndefined()
    const imported = await linkOf(survivor.id)
    expect(imported).toBeDefined()
    expect(imported).not.toBe(goneLocal)
    expect(await sql`select 1 from crm_merged_away where connection_id = ${connection} and remote_id = ${gone.id}`).toHaveLength(1)
  }
  return { sync, gone, goneLocal, survivor, mergeWebhook, survivorKept }
}

describe('the app deleted its copy of a contact HubSpot then merged into one the app never had', () => {
  it('the sync that sees the merge does not send the delete to the survivor', async () => {
    const s = await setup()
    await sql`delete from contacts where id = ${s.goneLocal}`
    await merge(s.survivor.id, s.gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    await s.survivorKept('deleted')
  })

  it('archived rather than deleted: the same', async () => {
    const s = await setup()
    await sql`update contacts set archived_at = now() where id = ${s.goneLocal}`
    await merge(s.survivor.id, s.gone.id)

    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    await s.survivorKept('archived')
  })

  it('the merge webhook followed it first: the next sync does not send the delete to the survivor either', async () => {
    const s = await setup()
    await sql`delete from contacts where id = ${s.goneLocal}`
    await merge(s.survivor.id, s.gone.id)

    await s.mergeWebhook()
    expect((await s.sync()).objects.contacts).toMatchObject({ pushed: 0, failed: 0 })
    await s.survivorKept('deleted')
  })
})
