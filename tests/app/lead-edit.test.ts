import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { PATCH as patchLead } from '../../app/api/crm/leads/[id]/route'
import { POST as importLeads } from '../../app/api/crm/import/route'
import { runSync } from '../../lib/crm/sync-service'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'
import { control, sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

// The dashboard's lead forms: a person edits a lead (or adds one) in the app, and the next
// sync takes it to HubSpot. Bad input is refused with a reason and changes nothing.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 0, deals: 0, owners: 1, seed: 51 })
useAppEnv(sandbox)

interface SandboxContact { id: string; properties: Record<string, string | null> }

let connection: string
let lead: { id: string; email: string; remoteId: string }
beforeAll(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { lookbackMs: 0 })
  await runSync(sql, { connectionId: connection, trigger: 'manual' })
  const [row] = await sql`select c.id, c.email, l.remote_id from contacts c join crm_links l on l.local_id = c.id
                          where l.connection_id = ${connection} order by c.email limit 1`
  lead = { id: row.id, email: row.email, remoteId: row.remote_id }
})

const patch = (id: string, body: unknown, init: RequestInit = {}) =>
  patchLead(jsonRequest(`/api/crm/leads/${id}`, body, { method: 'PATCH', ...init }), { params: Promise.resolve({ id }) })
const row = async (id: string) => (await sql`select email, phone, job_title, lead_status from contacts where id = ${id}`)[0]
const remote = (id: string) => control<SandboxContact>(sandbox, 'GET', `/records/contacts/${id}`)

describe('PATCH /api/crm/leads/:id', () => {
  it("writes the given fields in canonical form, and the next sync takes them to HubSpot", async () => {
    const res = await patch(lead.id, { jobTitle: '  Head of  Ops ', phone: '(415) 555-0143' })
    expect(res.status).toBe(204)
    expect(await row(lead.id)).toMatchObject({ job_title: 'Head of Ops', phone: '+14155550143', email: lead.email })
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect((await remote(lead.remoteId)).properties).toMatchObject({ jobtitle: 'Head of Ops', phone: '+14155550143', email: lead.email })
    // Our own write coming back is recognised: nothing written, nothing pushed back.
    const again = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(again.objects.contacts).toMatchObject({ updated: 0, pushed: 0, conflicts: 0, echoesSuppressed: 1 })
  })

  it("reads a phone written without a country in the connection's country for phone numbers", async () => {
    await sql`update crm_connections set settings = settings || '{"defaultCountry": "GB"}' where id = ${connection}`
    try {
      expect((await patch(lead.id, { phone: '020 7946 0958' })).status).toBe(204)
      expect((await row(lead.id)).phone).toBe('+442079460958')
    } finally {
      await sql`update crm_connections set settings = settings - 'defaultCountry' where id = ${connection}`
    }
    // Without it, the deployment's default (US here).
    expect((await patch(lead.id, { phone: '(415) 555-0143' })).status).toBe(204)
    expect((await row(lead.id)).phone).toBe('+14155550143')
  })

  it('reads it in the deployment default when two connections disagree on the country', async () => {
    const other = await insertConnection(sql, LOCAL_TENANT_ID, '99001')
    await sql`update crm_connections set settings = settings || '{"defaultCountry": "GB"}' where id = ${connection}`
    await sql`update crm_connections set settings = settings || '{"defaultCountry": "DE"}' where id = ${other}`
    try {
      expect((await patch(lead.id, { phone: '(415) 555-0177' })).status).toBe(204)
      expect((await row(lead.id)).phone).toBe('+14155550177')
    } finally {
      await sql`delete from crm_connections where id = ${other}`
      await sql`update crm_connections set settings = settings - 'defaultCountry' where id = ${connection}`
    }
    // Back to what HubSpot holds, so the tests below push only what they add.
    expect((await patch(lead.id, { phone: '+14155550143' })).status).toBe(204)
  })

  it('stores a lifecycle stage or lead status typed as its label (as the table shows it) as its value, which HubSpot then takes', async () => {
    expect((await patch(lead.id, { lifecycleStage: 'Sales Qualified Lead', leadStatus: 'in progress' })).status).toBe(204)
    expect((await sql`select lifecycle_stage, lead_status from contacts where id = ${lead.id}`)[0]).toEqual({ lifecycle_stage: 'salesqualifiedlead', lead_status: 'IN_PROGRESS' })
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    expect((await remote(lead.remoteId)).properties).toMatchObject({ lifecyclestage: 'salesqualifiedlead', hs_lead_status: 'IN_PROGRESS' })
  })

  const refusals: Array<[string, string, unknown, number, RegExp]> = [
    ['an email that is not one', 'lead', { email: 'not-an-email' }, 400, /not an email address/],
    ['a phone that is not one', 'lead', { phone: 'call me' }, 400, /not a phone number/],
    ['an email with a non-ASCII character before the @, which HubSpot refuses', 'lead', { email: 'Zoë@example.com' }, 400, /^Email "Zoë@example.com" has "ë" before the @: HubSpot takes only ASCII/],
    ['a field the form does not have', 'lead', { email: 'a@b.co', ownerId: 'x' }, 400, /ownerId|unrecognized/i],
    ['no field at all', 'lead', {}, 400, /at least one field/],
    ['a value too long, named by its label (as the form shows it)', 'lead', { firstName: 'x'.repeat(101) }, 400, /^First name: at most 100 characters$/],
    ['a NUL character (Postgres text cannot hold one)', 'lead', { jobTitle: 'Head\u0000 of Ops' }, 400, /^Job title: must not contain a NUL character/],
    ['a lone surrogate (JSON "\\ud800" without its pair), which would be stored and pushed as "A�B"', 'lead', '{"firstName":"A\\ud800B"}', 400, /^First name: must not contain a lone surrogate/],
    ['a lone surrogate in any text field', 'lead', '{"description":"\\udfff"}', 400, /^Description: must not contain a lone surrogate/],
    ['removing both email and phone', 'lead', { email: null, phone: null }, 400, /needs an email or a phone/],
    ["a lead status none of the portal's options has", 'lead', { leadStatus: 'Maybe later' }, 400,
      /^Lead status "Maybe later" is not one of this HubSpot portal's options: New \(NEW\), Open \(OPEN\), In Progress \(IN_PROGRESS\)/],
    ['an id that is no lead', 'random', { jobTitle: 'x' }, 404, /No such lead/],
    ['a malformed id', 'malformed', { jobTitle: 'x' }, 404, /No such lead/],
    ["another workspace's lead", 'foreign', { jobTitle: 'x' }, 404, /No such lead/],
  ]
  it.each(refusals)('refuses %s, and changes nothing', async (_name, which, body, status, message) => {
    const [foreign] = which === 'foreign'
      ? await sql`insert into contacts (tenant_id, email, source) values (${await createTenant(sql)}, 'other@example.com', 'manual') returning id`
      : [undefined]
    const id = { lead: lead.id, random: randomUUID(), malformed: 'not-a-uuid', foreign: foreign?.id }[which]
    const before = { ...(await snapshot(sql)), lead: JSON.stringify(await row(lead.id)), foreign: foreign ? JSON.stringify(await row(foreign.id)) : '' }
    const res = await patch(id, body)
    expect(res.status).toBe(status)
    expect((await res.json()).error.message).toMatch(message)
    expect({ ...(await snapshot(sql)), lead: JSON.stringify(await row(lead.id)), foreign: foreign ? JSON.stringify(await row(foreign.id)) : '' }).toEqual(before)
  })

  it('refuses a body that is not JSON', async () => {
    const res = await patch(lead.id, 'jobTitle=x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.status).toBe(415)
  })
})

describe('adding a lead in the dashboard (POST /api/crm/import with one contact)', () => {
  it('creates a manual lead that the next sync creates in HubSpot (a lifecycle stage typed as its label sent as its value)', async () => {
    const email = `added-${randomUUID().slice(0, 8)}@example.com`
    const res = await importLeads(jsonRequest('/api/crm/import', [{ email, firstName: 'Ada', lastName: 'Added', lifecycleStage: 'Marketing Qualified Lead' }]))
    expect(res.status).toBe(201)
    const summary = await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    expect(summary.objects.contacts).toMatchObject({ pushed: 1, failed: 0 })
    const { results } = await control<{ results: SandboxContact[] }>(sandbox, 'GET', '/records/contacts?limit=100')
    expect(results.filter((r) => r.properties.email === email)).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ firstname: 'Ada', lastname: 'Added', lifecyclestage: 'marketingqualifiedlead' }) }),
    ])
  })
})

// Last in the file: the manual leads these make would be pushed by the syncs above.
describe('an edit keeps the rules Add lead keeps', () => {
  it("refuses another live lead's email with 409, as Add lead does, and changes nothing; its own, an archived lead's or another workspace's is fine", async () => {
    const [other] = await sql`select email, first_name, last_name from contacts where tenant_id = ${LOCAL_TENANT_ID} and id <> ${lead.id} and email is not null and archived_at is null limit 1`
    const before = { ...(await snapshot(sql)), lead: JSON.stringify(await row(lead.id)) }
    for (const email of [other.email, `  ${other.email.toUpperCase()} `]) {
      const res = await patch(lead.id, { email, jobTitle: 'Not written' })
      expect(res.status).toBe(409)
      expect((await res.json()).error.message).toBe(`A lead with this email is already in the app: ${[other.first_name, other.last_name].filter(Boolean).join(' ') || other.email}`)
    }
    expect({ ...(await snapshot(sql)), lead: JSON.stringify(await row(lead.id)) }).toEqual(before)

    expect((await patch(lead.id, { email: lead.email.toUpperCase() })).status).toBe(204)
    const archived = `archived-${randomUUID().slice(0, 8)}@example.com`
    await sql`insert into contacts (tenant_id, email, source, archived_at) values (${LOCAL_TENANT_ID}, ${archived}, 'manual', now())`
    const foreign = `foreign-${randomUUID().slice(0, 8)}@example.com`
    await sql`insert into contacts (tenant_id, email, source) values (${await createTenant(sql)}, ${foreign}, 'manual')`
    const [own] = await sql`insert into contacts (tenant_id, email, source) values (${LOCAL_TENANT_ID}, ${`own-${randomUUID().slice(0, 8)}@example.com`}, 'manual') returning id`
    for (const email of [archived, foreign]) expect((await patch(own.id, { email })).status).toBe(204)
    expect((await row(own.id)).email).toBe(foreign)
  })

  it("Add lead with a synced contact's phone, written another way, is skipped naming that lead, and no second HubSpot contact is made", async () => {
    const [synced] = await sql`select phone, first_name, last_name, email from contacts where id = ${lead.id}`
    expect(synced.phone).toBe('+14155550143')
    const res = await importLeads(jsonRequest('/api/crm/import', [{ phone: '(415) 555-0143', firstName: 'Second' }]))
    expect(res.status).toBe(201)
    const name = [synced.first_name, synced.last_name].filter(Boolean).join(' ') || synced.email
    expect(await res.json()).toMatchObject({
      imported: 0, skippedExisting: 1,
      skipped: [{ index: 0, reason: 'existing', field: 'phone', leadId: lead.id, message: `contact 0: a lead with this phone is already in the app: ${name}` }],
    })
    await runSync(sql, { connectionId: connection, trigger: 'manual', objects: ['contact'] })
    const { results } = await control<{ results: SandboxContact[] }>(sandbox, 'GET', '/records/contacts?limit=100')
    expect(results.filter((r) => r.properties.phone === '+14155550143').map((r) => r.id)).toEqual([lead.remoteId])
  })

  it("refuses an edit that leaves a lead with neither email nor phone, counting the stored one the patch leaves alone", async () => {
    const email = `only-email-${randomUUID().slice(0, 8)}@example.com`
    const [only] = await sql`insert into contacts (tenant_id, email, source) values (${LOCAL_TENANT_ID}, ${email}, 'manual') returning id`
    const before = { ...(await snapshot(sql)), lead: JSON.stringify(await row(only.id)) }
    for (const body of [{ email: null }, { email: '', jobTitle: 'Not written' }]) {
      const res = await patch(only.id, body)
      expect(res.status).toBe(400)
      expect((await res.json()).error.message).toMatch(/A lead needs an email or a phone/)
    }
    expect({ ...(await snapshot(sql)), lead: JSON.stringify(await row(only.id)) }).toEqual(before)
    // A phone given in the same edit, or already stored, keeps it reachable.
    expect((await patch(only.id, { email: null, phone: '+14155550188' })).status).toBe(204)
    expect((await patch(only.id, { jobTitle: 'Kept' })).status).toBe(204)
    expect(await row(only.id)).toMatchObject({ email: null, phone: '+14155550188', job_title: 'Kept' })
  })
})
