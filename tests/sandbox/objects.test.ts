import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { apiError, raw, sdk, startSandbox } from './helpers.js'

let sb: HubSpotSandbox
beforeAll(async () => {
  // Keep-id merges (HubSpot's way before its merge change, still for deals); merge-new-id.test.ts covers the new-id one.
  sb = await startSandbox({ config: { mergeNewId: false } })
})
afterAll(() => sb.close())

describe('CRM v3 objects through @hubspot/api-client', () => {
  it('creates a contact with 201 and returns string properties with hs_object_id, createdate and lastmodifieddate', async () => {
    const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'Ada@Example.com', firstname: 'Ada', lastname: 'Lovelace' }, associations: [] })
    expect(c.id).toMatch(/^\d+$/)
    expect(c.properties.email).toBe('ada@example.com')
    expect(c.properties.hs_object_id).toBe(c.id)
    expect(c.properties.createdate).toBe(c.createdAt.toISOString())
    expect(c.properties.lastmodifieddate).toBe(c.updatedAt.toISOString())
    expect(c.archived).toBe(false)
  })

  it('gets a contact by id with default properties, and by email with idProperty (URL-decoded)', async () => {
    const client = sdk(sb)
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'grace@navy.mil', firstname: 'Grace' }, associations: [] })
    const byId = await client.crm.contacts.basicApi.getById(c.id)
    expect(Object.keys(byId.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'])
    expect(byId.properties.lastname).toBeNull()
    const res = await raw(sb, 'GET', `/crm/v3/objects/contacts/${encodeURIComponent('grace@navy.mil')}?idProperty=email`)
    expect(res.body.id).toBe(c.id)
  })

  it('accepts object type ids (0-1) in paths', async () => {
    const res = await raw(sb, 'POST', '/crm/v3/objects/0-2', { properties: { name: 'Acme', domain: 'acme.com' } })
    expect(res.status).toBe(201)
    const got = await raw(sb, 'GET', `/crm/v3/objects/companies/${res.body.id}`)
    expect(got.body.properties).toMatchObject({ name: 'Acme', domain: 'acme.com', hs_object_id: res.body.id })
    expect(got.body.properties).toHaveProperty('hs_lastmodifieddate')
  })

  it('updates with PATCH, clears a value with "", and moves updatedAt strictly forward', async () => {
    const client = sdk(sb)
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'x1@example.com', phone: '(415) 555-0100' }, associations: [] })
    const u = await client.crm.contacts.basicApi.update(c.id, { properties: { phone: '', firstname: 'Xavier' } })
    expect(u.properties.phone).toBeUndefined()
    expect(u.properties.firstname).toBe('Xavier')
    expect(u.updatedAt.getTime()).toBeGreaterThan(c.updatedAt.getTime())
    const u2 = await client.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'Xavi' } })
    expect(u2.updatedAt.getTime()).toBeGreaterThan(u.updatedAt.getTime())
  })

  it('rejects an unknown property with 400 VALIDATION_ERROR and PROPERTY_DOESNT_EXIST', async () => {
    const err = await apiError(sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'y@example.com', favourite_colour: 'blue' }, associations: [] }))
    expect(err.code).toBe(400)
    expect(err.body.category).toBe('VALIDATION_ERROR')
    expect(err.body.status).toBe('error')
    expect(err.body.correlationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(err.body.errors[0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['favourite_colour'] } })
  })

  it('answers a duplicate contact email with 409 CONFLICT naming the existing id', async () => {
    const client = sdk(sb)
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'dup@example.com' }, associations: [] })
    const err = await apiError(client.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.com' }, associations: [] }))
    expect(err.code).toBe(409)
    expect(err.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${c.id}` })
  })

  it('answers a missing record with 404 OBJECT_NOT_FOUND and sets X-HubSpot-Correlation-Id on every response', async () => {
    const res = await raw(sb, 'GET', '/crm/v3/objects/contacts/999999999')
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { id: ['999999999'] } })
    expect(res.headers.get('x-hubspot-correlation-id')).toBe(res.body.correlationId)
  })

  it('archives with 204; the record then only appears with archived=true', async () => {
    const client = sdk(sb)
    const d = await client.crm.deals.basicApi.create({ properties: { dealname: 'Big one', dealstage: 'qualifiedtobuy', pipeline: 'default', amount: '1000' }, associations: [] })
    await client.crm.deals.basicApi.archive(d.id)
    expect((await apiError(client.crm.deals.basicApi.getById(d.id))).code).toBe(404)
    const archived = await client.crm.deals.basicApi.getById(d.id, undefined, undefined, undefined, true)
    expect(archived.archived).toBe(true)
    expect(archived.archivedAt).toBeInstanceOf(Date)
    const page = await client.crm.deals.basicApi.getPage(100, undefined, undefined, undefined, undefined, true)
    expect(page.results.map((r) => r.id)).toContain(d.id)
  })

  it('lists with limit and after, accepting properties as comma list and as repeated params', async () => {
    const client = sdk(sb)
    for (let i = 0; i < 5; i++) await client.crm.companies.basicApi.create({ properties: { name: `Paged ${i}`, city: 'Paris' }, associations: [] })
    const first = await client.crm.companies.basicApi.getPage(2, undefined, ['name', 'city'])
    expect(first.results).toHaveLength(2)
    expect(first.results[0].properties.city).toBeDefined()
    const all = await client.crm.companies.getAll(undefined, undefined, ['name'])
    expect(all.length).toBe((await raw(sb, 'GET', '/crm/v3/objects/companies?limit=100')).body.results.length)
    const comma = await raw(sb, 'GET', '/crm/v3/objects/companies?limit=1&properties=name,city')
    expect(Object.keys(comma.body.results[0].properties)).toEqual(expect.arrayContaining(['name', 'city']))
    expect(comma.body.paging.next.after).toMatch(/^\d+$/)
  })

  it('merges two contacts: the primary survives, the merged id resolves to it', async () => {
    const client = sdk(sb)
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 'm1@example.com', firstname: 'Primary' }, associations: [] })
    const b = await client.crm.contacts.basicApi.create({ properties: { email: 'm2@example.com', jobtitle: 'CTO' }, associations: [] })
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id })
    expect(merged.id).toBe(a.id)
    expect(merged.properties.jobtitle).toBe('CTO')
    expect((await client.crm.contacts.basicApi.getById(b.id)).id).toBe(a.id)
  })

  // Which companies a record is associated with after a merge, and which of them is its primary.
  const companiesOf = async (type: string, id: string) => {
    const res = await raw(sb, 'GET', `/crm/v4/objects/${type}/${id}/associations/companies`)
    return Object.fromEntries(res.body.results.map((r: any) => [r.toObjectId, r.associationTypes.some((t: any) => t.label === 'Primary') ? 'primary' : 'unlabelled']))
  }
  it.each([
    // [type, primary company of the survivor, of the merged-away record, expected on the survivor]
    ['contacts', 1, 'A', 'B', { A: 'primary', B: 'unlabelled' }],
    ['contacts', 1, null, 'B', { B: 'primary' }],
    ['contacts', 1, 'A', null, { A: 'primary' }],
    ['deals', 5, 'A', 'B', { A: 'primary', B: 'unlabelled' }],
    ['deals', 5, null, 'B', { B: 'primary' }],
  ] as const)('merging %s: the survivor keeps its own primary company; the other comes over unlabelled', async (type, primaryTypeId, survivorCompany, loserCompany, expected) => {
    const client = sdk(sb)
    const n = Math.random().toString(36).slice(2, 8)
    const co = { A: (await client.crm.companies.basicApi.create({ properties: { name: `A ${n}` }, associations: [] })).id,
      B: (await client.crm.companies.basicApi.create({ properties: { name: `B ${n}` }, associations: [] })).id }
    const primaryOf = (c: 'A' | 'B' | null) => c ? [{ to: { id: co[c] }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: primaryTypeId }] }] : []
    const make = (props: Record<string, string>, c: 'A' | 'B' | null) => type === 'contacts'
      ? client.crm.contacts.basicApi.create({ properties: { email: `${props.name}@${n}.example.com` }, associations: primaryOf(c) })
      : client.crm.deals.basicApi.create({ properties: { dealname: props.name, dealstage: 'qualifiedtobuy', pipeline: 'default' }, associations: primaryOf(c) })
    const survivor = await make({ name: 'survivor' }, survivorCompany)
    const loser = await make({ name: 'loser' }, loserCompany)
    await raw(sb, 'POST', `/crm/v3/objects/${type}/merge`, { primaryObjectId: survivor.id, objectIdToMerge: loser.id })
    const names = Object.fromEntries(Object.entries(co).map(([k, v]) => [v, k]))
    const got = Object.fromEntries(Object.entries(await companiesOf(type, survivor.id)).map(([id, label]) => [names[id], label]))
    expect(got).toEqual(expected)
  })

  it('merging companies: each of their contacts keeps the survivor as its one primary company', async () => {
    const client = sdk(sb)
    const [a, b] = [(await client.crm.companies.basicApi.create({ properties: { name: 'Keeps A' }, associations: [] })).id,
      (await client.crm.companies.basicApi.create({ properties: { name: 'Merged B' }, associations: [] })).id]
    const primary = (id: string) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }] }]
    const x = await client.crm.contacts.basicApi.create({ properties: { email: 'of-a@merge.example.com' }, associations: primary(a) })
    const y = await client.crm.contacts.basicApi.create({ properties: { email: 'of-b@merge.example.com' }, associations: primary(b) })
    await raw(sb, 'POST', '/crm/v3/objects/companies/merge', { primaryObjectId: a, objectIdToMerge: b })
    expect(await companiesOf('contacts', x.id)).toEqual({ [a]: 'primary' })
    expect(await companiesOf('contacts', y.id)).toEqual({ [a]: 'primary' })
  })

  it('a company made primary for a contact from the company side stays primary for its other contacts', async () => {
    const client = sdk(sb)
    const [a, b] = [(await client.crm.companies.basicApi.create({ properties: { name: 'Side A' }, associations: [] })).id,
      (await client.crm.companies.basicApi.create({ properties: { name: 'Side B' }, associations: [] })).id]
    const x = (await client.crm.contacts.basicApi.create({ properties: { email: 'side-x@example.com' }, associations: [] })).id
    const y = (await client.crm.contacts.basicApi.create({ properties: { email: 'side-y@example.com' }, associations: [] })).id
    const primaryFromCompany = (company: string, contact: string) =>
      raw(sb, 'PUT', `/crm/v4/objects/companies/${company}/associations/contacts/${contact}`, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 2 }])
    await primaryFromCompany(a, x)
    await primaryFromCompany(a, y)
    expect([await companiesOf('contacts', x), await companiesOf('contacts', y)]).toEqual([{ [a]: 'primary' }, { [a]: 'primary' }])
    // And a contact's one primary moves when another company takes it from its side.
    await primaryFromCompany(b, x)
    expect(await companiesOf('contacts', x)).toEqual({ [a]: 'unlabelled', [b]: 'primary' })
  })

  it('requires dealname, dealstage and pipeline to create a deal', async () => {
    const err = await apiError(sdk(sb).crm.deals.basicApi.create({ properties: { dealname: 'No stage' }, associations: [] }))
    expect(err.code).toBe(400)
    expect(err.body.errors.map((e: any) => e.code)).toContain('REQUIRED_PROPERTY')
  })
})
