import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { control, raw, sdk, startSandbox } from './helpers.js'

// https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
// With mergeNewId, merging two contacts (or companies) makes a new record both are merged
// into; both old ids resolve to it. Deals keep the old way (the primary keeps its id).

let sb: HubSpotSandbox
beforeAll(async () => {
  sb = await startSandbox({ config: { mergeNewId: true } })
})
afterAll(() => sb.close())

const primaryCompany = (id: string) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }] }]
const companiesOf = async (type: string, id: string) => {
  const res = await raw(sb, 'GET', `/crm/v4/objects/${type}/${id}/associations/companies`)
  return Object.fromEntries(res.body.results.map((r: any) => [r.toObjectId, r.associationTypes.some((t: any) => t.label === 'Primary') ? 'primary' : 'unlabelled']))
}

describe('merges with mergeNewId', () => {
  it('PATCH /_sandbox/config turns it on and off, and refuses a non-boolean', async () => {
    expect((await control(sb, 'GET', '/config')).body.mergeNewId).toBe(true)
    expect((await control(sb, 'PATCH', '/config', { mergeNewId: false })).body.mergeNewId).toBe(false)
    expect((await control(sb, 'PATCH', '/config', { mergeNewId: true })).body.mergeNewId).toBe(true)
    const bad = await control(sb, 'PATCH', '/config', { mergeNewId: 'yes' })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/mergeNewId/)
  })

  it('merging contacts answers a new record with the primary values, the gaps filled from the other, and both old ids resolving to it', async () => {
    const client = sdk(sb)
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 'n1@example.com', firstname: 'Primary' }, associations: [] })
    const b = await client.crm.contacts.basicApi.create({ properties: { email: 'n2@example.com', firstname: 'Other', jobtitle: 'CTO' }, associations: [] })
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id })
    expect(merged.id).not.toBe(a.id)
    expect(merged.id).not.toBe(b.id)
    expect(Number(merged.id)).toBeGreaterThan(Number(b.id))
    expect(merged.archived).toBe(false)
    expect(merged.properties).toMatchObject({ email: 'n1@example.com', firstname: 'Primary', jobtitle: 'CTO', hs_object_id: merged.id, hs_merged_object_ids: `${a.id};${b.id}` })
    expect(merged.createdAt.toISOString()).toBe(a.createdAt.toISOString())
    expect(merged.updatedAt.getTime()).toBeGreaterThan(b.updatedAt.getTime())
    for (const old of [a.id, b.id]) expect((await client.crm.contacts.basicApi.getById(old, ['email'])).id).toBe(merged.id)
    const read = await client.crm.contacts.batchApi.read({ inputs: [{ id: a.id }, { id: b.id }], properties: ['hs_merged_object_ids'], propertiesWithHistory: [] })
    expect(read.results.map((r) => r.id)).toEqual([merged.id]) // one record, once, as for the keep-id merge
    // The email is the new record's now: creating it again is a conflict naming the new id.
    const dup = await raw(sb, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'n1@example.com' } })
    expect(dup.status).toBe(409)
    expect(dup.body.message).toContain(`Existing ID: ${merged.id}`)
  })

  it('search and list return the new record only, not the two merged into it (nor as archived)', async () => {
    const client = sdk(sb)
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 's1@example.com', lastname: 'Searchmerge' }, associations: [] })
    const b = await client.crm.contacts.basicApi.create({ properties: { email: 's2@example.com', lastname: 'Searchmerge' }, associations: [] })
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id })
    const found = await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ' as never, value: 'Searchmerge' }] }], properties: ['email'], limit: 10, after: undefined as never, sorts: [] })
    expect(found.results.map((r) => r.id)).toEqual([merged.id])
    // What a "modified since" search finds: the new record, last modified at the merge.
    const since = await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE' as never, value: String(b.updatedAt.getTime() + 1) }] }], properties: ['email'], limit: 100, after: undefined as never, sorts: [] })
    expect(since.results.map((r) => r.id)).toContain(merged.id)
    expect(since.results.map((r) => r.id)).not.toEqual(expect.arrayContaining([a.id]))
    const all = await client.crm.contacts.getAll(100)
    const ids = all.map((r) => r.id)
    expect(ids).toContain(merged.id)
    expect(ids).not.toContain(a.id)
    expect(ids).not.toContain(b.id)
    const archived = await raw(sb, 'GET', '/crm/v3/objects/contacts?archived=true&limit=100')
    expect(archived.body.results.map((r: any) => r.id)).not.toEqual(expect.arrayContaining([a.id]))
    expect(archived.body.results.map((r: any) => r.id)).not.toEqual(expect.arrayContaining([b.id]))
  })

  it("moves both records' associations to the new record; the primary's primary company wins", async () => {
    const client = sdk(sb)
    const [x, y] = [(await client.crm.companies.basicApi.create({ properties: { name: 'X co' }, associations: [] })).id,
      (await client.crm.companies.basicApi.create({ properties: { name: 'Y co' }, associations: [] })).id]
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 'as1@example.com' }, associations: primaryCompany(x) })
    const b = await client.crm.contacts.basicApi.create({ properties: { email: 'as2@example.com' }, associations: primaryCompany(y) })
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'D', dealstage: 'qualifiedtobuy', pipeline: 'default' },
      associations: [{ to: { id: b.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 3 }] }] })
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id })
    expect(await companiesOf('contacts', merged.id)).toEqual({ [x]: 'primary', [y]: 'unlabelled' })
    const dealContacts = await raw(sb, 'GET', `/crm/v4/objects/deals/${deal.id}/associations/contacts`)
    expect(dealContacts.body.results.map((r: any) => String(r.toObjectId))).toEqual([merged.id])
  })

  it('merging companies makes a new company too; their contacts keep it as their one primary', async () => {
    const client = sdk(sb)
    const a = await client.crm.companies.basicApi.create({ properties: { name: 'Keeps A', domain: 'a.example.com' }, associations: [] })
    const b = await client.crm.companies.basicApi.create({ properties: { name: 'Merged B', city: 'Lyon' }, associations: [] })
    const p = await client.crm.contacts.basicApi.create({ properties: { email: 'co-a@example.com' }, associations: primaryCompany(a.id) })
    const q = await client.crm.contacts.basicApi.create({ properties: { email: 'co-b@example.com' }, associations: primaryCompany(b.id) })
    const res = await raw(sb, 'POST', '/crm/v3/objects/companies/merge', { primaryObjectId: a.id, objectIdToMerge: b.id })
    expect(res.status).toBe(200)
    const merged = res.body
    expect(merged.id).not.toBe(a.id)
    expect(merged.properties).toMatchObject({ name: 'Keeps A', domain: 'a.example.com', city: 'Lyon', hs_merged_object_ids: `${a.id};${b.id}` })
    expect(await companiesOf('contacts', p.id)).toEqual({ [merged.id]: 'primary' })
    expect(await companiesOf('contacts', q.id)).toEqual({ [merged.id]: 'primary' })
    expect((await client.crm.companies.basicApi.getById(b.id)).id).toBe(merged.id)
  })

  it('a record made by a merge, merged again, lists every id merged into it', async () => {
    const client = sdk(sb)
    const [a, b, c] = [
      await client.crm.contacts.basicApi.create({ properties: { email: 'r1@example.com' }, associations: [] }),
      await client.crm.contacts.basicApi.create({ properties: { email: 'r2@example.com' }, associations: [] }),
      await client.crm.contacts.basicApi.create({ properties: { email: 'r3@example.com' }, associations: [] }),
    ]
    const ab = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id })
    const abc = await client.crm.contacts.basicApi.merge({ primaryObjectId: c.id, objectIdToMerge: ab.id })
    expect(abc.properties.hs_merged_object_ids).toBe([c.id, ab.id, a.id, b.id].join(';'))
    expect(abc.properties.email).toBe('r3@example.com')
    for (const old of [a.id, b.id, ab.id]) expect((await client.crm.contacts.basicApi.getById(old)).id).toBe(abc.id)
  })

  it('deals keep the old way: the primary keeps its id', async () => {
    const client = sdk(sb)
    const deal = (name: string) => client.crm.deals.basicApi.create({ properties: { dealname: name, dealstage: 'qualifiedtobuy', pipeline: 'default' }, associations: [] })
    const [a, b] = [await deal('Deal A'), await deal('Deal B')]
    const res = await raw(sb, 'POST', '/crm/v3/objects/deals/merge', { primaryObjectId: a.id, objectIdToMerge: b.id })
    expect(res.body.id).toBe(a.id)
    expect(res.body.properties.hs_merged_object_ids).toBe(b.id)
  })
})
