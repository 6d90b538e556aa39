import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { apiError, raw, sdk, startSandbox } from './helpers.js'

let sb: HubSpotSandbox
beforeAll(async () => {
  sb = await startSandbox({ owners: 12 })
})
afterAll(() => sb.close())

describe('properties API', () => {
  it('lists built-in properties with HubSpot types and creates lead_source_system, which then accepts values', async () => {
    const client = sdk(sb)
    const all = await client.crm.properties.coreApi.getAll('contacts')
    expect(all.results.find((p) => p.name === 'email')).toMatchObject({ type: 'string', fieldType: 'text', hubspotDefined: true })
    expect(all.results.find((p) => p.name === 'lastmodifieddate')).toMatchObject({ type: 'datetime' })
    const created = await client.crm.properties.coreApi.create('contacts', { groupName: 'contactinformation', name: 'lead_source_system', label: 'Lead Source System', type: 'string' as any, fieldType: 'text' as any })
    expect(created.name).toBe('lead_source_system')
    expect((await client.crm.properties.coreApi.getByName('contacts', 'lead_source_system')).label).toBe('Lead Source System')
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'src@x.com', lead_source_system: 'syncline' }, associations: [] })
    expect(c.properties.lead_source_system).toBe('syncline')
    const dup = await apiError(client.crm.properties.coreApi.create('contacts', { groupName: 'contactinformation', name: 'lead_source_system', label: 'x', type: 'string' as any, fieldType: 'text' as any }))
    expect(dup.code).toBe(409)
  })
})

describe('owners API', () => {
  it('pages owners through the SDK (trailing-slash path) and finds one by email and by userId', async () => {
    const client = sdk(sb)
    const page = await client.crm.owners.ownersApi.getPage(undefined, undefined, 5)
    expect(page.results).toHaveLength(5)
    expect(page.paging?.next?.after).toBe('5')
    const first = page.results[0]
    expect((await client.crm.owners.ownersApi.getPage(first.email)).results.map((o) => o.id)).toEqual([first.id])
    expect((await client.crm.owners.ownersApi.getById(Number(first.userId), 'userId')).id).toBe(first.id)
    expect((await raw(sb, 'GET', '/crm/v3/owners')).status).toBe(200)
  })
})

describe('associations v4', () => {
  it('creates default and labelled associations with HubSpot type ids and shows them in v3 reads', async () => {
    const client = sdk(sb)
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'assoc@x.com' }, associations: [] })
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Assoc Inc' }, associations: [] })
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'D', dealstage: 'closedwon', pipeline: 'default' }, associations: [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as any, associationTypeId: 3 }] }] })
    await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id)
    await client.crm.associations.v4.basicApi.create('companies', company.id, 'contacts', contact.id, [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 2 }])
    const list = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies')
    expect(list.results[0].associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([1, 279])
    const got = await raw(sb, 'GET', `/crm/v3/objects/deals/${deal.id}?associations=contacts`)
    expect(got.body.associations).toEqual({ contacts: { results: [{ id: contact.id, type: 'deal_to_contact' }] } })
    const batch = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: contact.id }] })
    expect(batch.results[0].to.map((t) => String(t.toObjectId))).toEqual([deal.id])
    await client.crm.associations.v4.basicApi.archive('contacts', contact.id, 'companies', company.id)
    expect((await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies')).results).toEqual([])
  })
})
