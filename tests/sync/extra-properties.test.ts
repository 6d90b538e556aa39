import { Client } from '@hubspot/api-client'
import { beforeAll, describe, expect, it } from 'vitest'
import { changeSettings } from '../../lib/crm/change-settings'
import { connectionStatuses } from '../../lib/crm/status'
import { CrmError } from '../../lib/crm/errors'
import { runSync } from '../../lib/crm/sync-service'
import { processPendingWebhooks } from '../../lib/crm/webhooks/process'
import { createTenant, testSql } from '../helpers/db'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { signedRequest, webhookHandler, WEBHOOK_PATH } from '../webhooks/helpers'

// A connection's extra properties (settings.extraProperties): HubSpot properties beyond the
// mapped columns, read with every record into crm_properties, CRM → app only.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 40, companies: 6, deals: 6, owners: 2, seed: 41 })
const big = await testSandbox({ contacts: 1_200, companies: 0, deals: 0, owners: 1, seed: 42 })
const PUBLIC = 'https://hooks.syncline.test'
const hook = webhookHandler(sql, PUBLIC, { process: false })

interface SandboxRecord { id: string; properties: Record<string, string | null> }
const remote = async (type: string) => (await control<{ results: SandboxRecord[] }>(sandbox, 'GET', `/records/${type}?limit=1000`)).results
const rep = (type: string, id: string, properties: Record<string, string>) => control(sandbox, 'PATCH', `/rep/${type}/${id}`, { properties })

/** crm_properties by remote id, for every linked record of a table. */
async function localExtra(connection: string, table: 'contacts' | 'companies' | 'deals'): Promise<Map<string, Record<string, string>>> {
  const rows = await sql.unsafe(`select l.remote_id, t.crm_properties from ${table} t join crm_links l on l.local_id = t.id
                                  where l.connection_id = $1 and t.archived_at is null`, [connection])
  return new Map(rows.map((r) => [r.remote_id as string, r.crm_properties as Record<string, string>]))
}

/** What crm_properties should hold for each sandbox record: its non-empty values of `names`. */
async function expectedExtra(type: string, names: string[]): Promise<Map<string, Record<string, string>>> {
  return new Map((await remote(type)).map((r) => [r.id, Object.fromEntries(names.flatMap((n) => (r.properties[n] ? [[n, r.properties[n]!]] : [])))]))
}

describe('extra properties', () => {
  let tenant: string
  let connection: string
  let contacts: SandboxRecord[]
  beforeAll(async () => {
    // A portal's own property, made as a HubSpot admin would, through the Properties API.
    const hubspot = new Client({ accessToken: sandbox.token, basePath: sandbox.url })
    await hubspot.crm.properties.coreApi.create('contacts', {
      name: 'favourite_color', label: 'Favourite color', type: 'string', fieldType: 'text', groupName: 'contactinformation',
    } as never)
    contacts = await remote('contacts')
    for (const [i, c] of contacts.slice(0, 10).entries()) await rep('contacts', c.id, { favourite_color: i % 2 ? 'teal' : 'amber' })
    await rep('contacts', contacts[10].id, { city: 'Lisbon' })
    tenant = await createTenant(sql)
    connection = await sandboxConnection(sql, sandbox, tenant)
  })

  it('none chosen: crm_properties stays empty', async () => {
    expect((await runSync(sql, { connectionId: connection, trigger: 'manual' })).status).toBe('success')
    const extra = await localExtra(connection, 'contacts')
    expect(extra.size).toBe(40)
    expect([...extra.values()].every((e) => Object.keys(e).length === 0)).toBe(true)
  })

  it('a name HubSpot does not have, or one already synced into a column, is refused and nothing is saved', async () => {
    const before = (await sql`select settings from crm_connections where id = ${connection}`)[0].settings
    const refused = async (change: Parameters<typeof changeSettings>[3]) => {
      const e = await changeSettings(sql, tenant, connection, change).then(() => null, (err: unknown) => err)
      expect(e).toBeInstanceOf(CrmError)
      expect((e as CrmError).type).toBe('validation')
      return (e as CrmError).message
    }
    expect(await refused({ extraProperties: { contact: ['favourite_color', 'favourite_colour'] } })).toMatch(/HubSpot has no contact property "favourite_colour"/)
    expect(await refused({ extraProperties: { contact: ['email'] } })).toMatch(/"email" already syncs into the contact table's own columns/)
    expect(await refused({ extraProperties: { deal: ['numberofemployees'] } })).toMatch(/no deal property "numberofemployees"/)
    expect((await sql`select settings from crm_connections where id = ${connection}`)[0].settings).toEqual(before)
  })

  it('chosen: the next run lists that type again, and every record holds its values; other types are not listed again', async () => {
    const updated = await changeSettings(sql, tenant, connection, { extraProperties: { contact: ['favourite_color', 'city'], company: ['numberofemployees'] } })
    expect(updated?.settings).toMatchObject({ extraProperties: { contact: ['favourite_color', 'city'], company: ['numberofemployees'] } })
    const companies = await remote('companies')
    await rep('companies', companies[0].id, { numberofemployees: '250' })

    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(summary.status).toBe('success')
    const wantedContacts = await expectedExtra('contacts', ['favourite_color', 'city'])
    const wantedCompanies = await expectedExtra('companies', ['numberofemployees'])
    const holding = (m: Map<string, Record<string, string>>) => [...m.values()].filter((e) => Object.keys(e).length > 0).length
    expect(holding(wantedContacts)).toBeGreaterThanOrEqual(11)
    // Every record is read again; only those holding a value are written (the rest hash as before).
    expect(summary.objects.contacts).toMatchObject({ fetched: 40, updated: holding(wantedContacts), unchanged: 40 - holding(wantedContacts), created: 0 })
    expect(summary.objects.companies).toMatchObject({ fetched: 6, updated: holding(wantedCompanies), created: 0 })
    // Deals' list did not change: their incremental search found nothing.
    expect(summary.objects.deals).toMatchObject({ fetched: 0 })

    expect(await localExtra(connection, 'contacts')).toEqual(wantedContacts)
    expect(await localExtra(connection, 'companies')).toEqual(wantedCompanies)
    expect((await localExtra(connection, 'contacts')).get(contacts[0].id)).toEqual({ favourite_color: 'amber' })

    // The run after it is incremental again and writes nothing.
    const again = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(again.objects.contacts).toMatchObject({ updated: 0, created: 0 })
  })

  it('a change to an extra property alone arrives by the incremental search, and a cleared one leaves crm_properties', async () => {
    await rep('contacts', contacts[1].id, { favourite_color: 'crimson' })
    await rep('contacts', contacts[2].id, { favourite_color: '' })
    const summary = await runSync(sql, { connectionId: connection, trigger: 'cron' })
    expect(summary.objects.contacts).toMatchObject({ updated: 2 })
    const extra = await localExtra(connection, 'contacts')
    expect(extra.get(contacts[1].id)).toEqual({ favourite_color: 'crimson' })
    expect(extra.get(contacts[2].id)).toEqual({})
  })

  it('after the app pushed an edit, a rep\'s change to an extra property alone is not taken for the echo', async () => {
    const [local] = await sql`select c.id from contacts c join crm_links l on l.local_id = c.id
                               where l.connection_id = ${connection} and l.remote_id = ${contacts[3].id}`
    await sql`update contacts set job_title = 'Head of Ops' where id = ${local.id}`
    const pushed = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(pushed.objects.contacts).toMatchObject({ pushed: 1 })
    // The CRM now holds exactly what the link remembers, field by field; only the extra property moves.
    await rep('contacts', contacts[3].id, { favourite_color: 'violet' })
    const pulled = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(pulled.objects.contacts).toMatchObject({ updated: 1 })
    expect((await localExtra(connection, 'contacts')).get(contacts[3].id)).toEqual({ favourite_color: 'violet' })
    const [row] = await sql`select job_title from contacts where id = ${local.id}`
    expect(row.job_title).toBe('Head of Ops')
  })

  it('the app\'s own change to crm_properties is not pushed', async () => {
    const [local] = await sql`select c.id from contacts c join crm_links l on l.local_id = c.id
                               where l.connection_id = ${connection} and l.remote_id = ${contacts[4].id}`
    const before = (await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n
    await sql`update contacts set crm_properties = '{"favourite_color":"mauve"}' where id = ${local.id}`
    expect((await sql`select count(*)::int as n from crm_outbox where connection_id = ${connection}`)[0].n).toBe(before)
  })

  it('a webhook for a change to a mapped property brings the extra properties with it', async () => {
    await rep('contacts', contacts[5].id, { firstname: 'Webhooked', favourite_color: 'ochre' })
    const res = await hook.POST(signedRequest(PUBLIC + WEBHOOK_PATH, JSON.stringify([{
      eventId: 90_001, subscriptionId: 25, portalId: sandbox.portalId, appId: sandbox.appId, occurredAt: Date.now(),
      subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(contacts[5].id), changeSource: 'CRM_UI',
      propertyName: 'firstname', propertyValue: 'Webhooked',
    }])))
    expect(res.status).toBe(200)
    expect(await processPendingWebhooks(sql, connection)).toMatchObject({ status: 'processed', events: 1, failedEvents: 0 })
    expect((await localExtra(connection, 'contacts')).get(contacts[5].id)).toEqual({ favourite_color: 'ochre' })
  })

  it('removed from the list: the next run lists that type again and the values go', async () => {
    await changeSettings(sql, tenant, connection, { extraProperties: { contact: ['city'] } })
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(summary.status).toBe('success')
    expect(summary.objects.contacts).toMatchObject({ fetched: 40, created: 0 })
    expect(await localExtra(connection, 'contacts')).toEqual(await expectedExtra('contacts', ['city']))
  })
})

describe('extra properties on a larger portal', () => {
  it('a listing for a changed list, cut short, resumes where it stopped and every record ends with its values', async () => {
    const hubspot = new Client({ accessToken: big.token, basePath: big.url })
    await hubspot.crm.properties.coreApi.create('contacts', { name: 'tier', label: 'Tier', type: 'string', fieldType: 'text', groupName: 'contactinformation' } as never)
    const all = (await control<{ results: SandboxRecord[] }>(big, 'GET', '/records/contacts?limit=2000')).results
    // A value on every contact, so each batch of the listing writes.
    await hubspot.crm.contacts.batchApi.update({ inputs: all.slice(0, 100).map((c) => ({ id: c.id, properties: { tier: 'gold' } })) })
    for (let i = 100; i < all.length; i += 100) {
      await hubspot.crm.contacts.batchApi.update({ inputs: all.slice(i, i + 100).map((c) => ({ id: c.id, properties: { tier: 'silver' } })) })
    }
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, big, tenant, { entities: { company: false, deal: false } })
    expect((await runSync(sql, { connectionId: connection, trigger: 'manual' })).objects.contacts).toMatchObject({ created: 1_200 })

    await changeSettings(sql, tenant, connection, { extraProperties: { contact: ['tier'] } })
    const stop = new AbortController()
    const cut = await runSync(sql, {
      connectionId: connection, trigger: 'manual', signal: stop.signal,
      onProgress: (p) => { if (p.objectType === 'contact' && p.counts.updated > 0) stop.abort('stopped for the test') },
    })
    expect(cut.objects.contacts?.status).toBe('partial')
    const done = cut.objects.contacts!.updated
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(1_200)

    await control(big, 'DELETE', '/stats')
    const rest = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(rest.status).toBe('success')
    // The listing goes on from its last committed batch: nothing is read twice, nothing searched.
    expect(rest.objects.contacts).toMatchObject({ updated: 1_200 - done, created: 0 })
    const stats = await control<{ calls: Record<string, number> }>(big, 'GET', '/stats')
    expect(stats.calls['POST /crm/v3/objects/contacts/search'] ?? 0).toBe(0)
    expect(await localExtra(connection, 'contacts')).toEqual(await expectedExtraOf(big, ['tier']))
  })
})

describe('extra properties chosen while the first listing is cut short', () => {
  it('the listing starts over, so the records listed before the change get their values too', async () => {
    const hubspot = new Client({ accessToken: big.token, basePath: big.url })
    await hubspot.crm.properties.coreApi.create('contacts', { name: 'region', label: 'Region', type: 'string', fieldType: 'text', groupName: 'contactinformation' } as never)
    const all = (await control<{ results: SandboxRecord[] }>(big, 'GET', '/records/contacts?limit=2000')).results
    for (let i = 0; i < all.length; i += 100) {
      await hubspot.crm.contacts.batchApi.update({ inputs: all.slice(i, i + 100).map((c) => ({ id: c.id, properties: { region: 'EMEA' } })) })
    }
    const tenant = await createTenant(sql)
    const connection = await sandboxConnection(sql, big, tenant, { entities: { company: false, deal: false } })
    const stop = new AbortController()
    const cut = await runSync(sql, {
      connectionId: connection, trigger: 'initial', signal: stop.signal,
      onProgress: (p) => { if (p.objectType === 'contact' && p.counts.created > 0) stop.abort('stopped for the test') },
    })
    expect(cut.objects.contacts?.created).toBeLessThan(1_200)
    await changeSettings(sql, tenant, connection, { extraProperties: { contact: ['region'] } })
    const rest = await runSync(sql, { connectionId: connection, trigger: 'manual' })
    expect(rest.status).toBe('success')
    expect(rest.objects.contacts).toMatchObject({ fetched: 1_200, created: 1_200 - cut.objects.contacts!.created })
    const extra = await localExtra(connection, 'contacts')
    expect(extra.size).toBe(1_200)
    expect([...extra.values()].every((e) => e.region === 'EMEA')).toBe(true)
  })
})

async function expectedExtraOf(sb: typeof sandbox, names: string[]): Promise<Map<string, Record<string, string>>> {
  const records = (await control<{ results: SandboxRecord[] }>(sb, 'GET', '/records/contacts?limit=2000')).results
  return new Map(records.map((r) => [r.id, Object.fromEntries(names.flatMap((n) => (r.properties[n] ? [[n, r.properties[n]!]] : [])))]))
}

describe('an extra property deleted in HubSpot after it was chosen', () => {
  it('the daily read of the portal\'s properties names it on the connection, until it is taken off the list or made again', async () => {
    const portal = await testSandbox({ contacts: 10, companies: 2, deals: 3, owners: 1, seed: 43 })
    const hubspot = new Client({ accessToken: portal.token, basePath: portal.url })
    const property = (name: string) => ({ name, label: name, type: 'string', fieldType: 'text', groupName: 'contactinformation' }) as never
    await hubspot.crm.properties.coreApi.create('contacts', property('shoe_size'))
    await hubspot.crm.properties.coreApi.create('deals', property('region'))
    const tenantId = await createTenant(sql)
    const connectionId = await sandboxConnection(sql, portal, tenantId)
    await changeSettings(sql, tenantId, connectionId, { extraProperties: { contact: ['shoe_size', 'city'], deal: ['region'] } })
    const missing = async () => (await connectionStatuses(sql, tenantId))[0].extraPropertiesMissing
    const propertyReads = async () => {
      const calls = (await control<{ calls: Record<string, number> }>(portal, 'GET', '/stats')).calls
      return { contacts: calls['GET /crm/v3/properties/contacts'] ?? 0, companies: calls['GET /crm/v3/properties/companies'] ?? 0, deals: calls['GET /crm/v3/properties/deals'] ?? 0 }
    }
    const dayLater = () => sql`update crm_connections set properties_read_at = (select jsonb_object_agg(k, now() - interval '25 hours') from jsonb_object_keys(properties_read_at) k)
                                 where id = ${connectionId}`

    await control(portal, 'DELETE', '/stats')
    expect((await runSync(sql, { connectionId, trigger: 'initial' })).status).toBe('success')
    // One read per type that has options to label or extra properties to check: companies have neither.
    expect(await propertyReads()).toEqual({ contacts: 1, companies: 0, deals: 1 })
    expect(await missing()).toEqual({})

    await hubspot.crm.properties.coreApi.archive('contacts', 'shoe_size')
    await hubspot.crm.properties.coreApi.archive('deals', 'region')
    // The same day, a scheduled run does not read them again…
    await runSync(sql, { connectionId, trigger: 'cron' })
    expect(await missing()).toEqual({})
    // …a day later one does, and names both on the connection (the dashboard's card shows them).
    await control(portal, 'DELETE', '/stats')
    await dayLater()
    expect((await runSync(sql, { connectionId, trigger: 'cron' })).status).toBe('success')
    expect(await propertyReads()).toEqual({ contacts: 1, companies: 0, deals: 1 })
    expect(await missing()).toEqual({ contact: ['shoe_size'], deal: ['region'] })

    // Made again in HubSpot: the next sync a person asks for (Refresh CRM) clears it.
    await hubspot.crm.properties.coreApi.create('deals', property('region'))
    await runSync(sql, { connectionId, trigger: 'manual', rereadOptions: true })
    expect(await missing()).toEqual({ contact: ['shoe_size'] })
    // Taken off the list: gone at once, before any sync.
    await changeSettings(sql, tenantId, connectionId, { extraProperties: { contact: ['city'] } })
    expect(await missing()).toEqual({})
    expect((await sql`select extra_properties_missing from crm_connections where id = ${connectionId}`)[0].extra_properties_missing).toEqual({})
  })
})
