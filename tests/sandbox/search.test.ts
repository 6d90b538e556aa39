import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, type HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { apiError, control, raw, sdk, startSandbox } from './helpers.js'

const search = (sb: HubSpotSandbox, type: string, body: unknown) => raw(sb, 'POST', `/crm/v3/objects/${type}/search`, body)

describe('search filters and paging', () => {
  let sb: HubSpotSandbox
  beforeAll(async () => {
    sb = await startSandbox()
    const c = sdk(sb).crm.contacts.basicApi
    await c.create({ properties: { email: 'ann@hubspot.com', firstname: 'Ann', lastname: 'Lee', lifecyclestage: 'lead' }, associations: [] })
    await c.create({ properties: { email: 'bob@acme.io', firstname: 'Bob', lastname: 'Stone', lifecyclestage: 'customer', phone: '+44 20 7946 0958' }, associations: [] })
    await c.create({ properties: { email: 'cy@hubspot.com', firstname: 'Cy', lifecyclestage: 'customer' }, associations: [] })
    const d = sdk(sb).crm.deals.basicApi
    for (const amount of ['100', '2500', '99000']) await d.create({ properties: { dealname: `Deal ${amount}`, amount, dealstage: 'closedwon', pipeline: 'default' }, associations: [] })
  })
  afterAll(() => sb.close())

  const ids = async (type: string, filters: unknown[], extra: Record<string, unknown> = {}) =>
    (await search(sb, type, { filterGroups: [{ filters }], properties: ['email', 'dealname'], ...extra })).body.results.map((r: any) => r.properties.email ?? r.properties.dealname)

  it('supports every documented operator', async () => {
    expect(await ids('contacts', [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }])).toEqual(['bob@acme.io', 'cy@hubspot.com'])
    expect(await ids('contacts', [{ propertyName: 'lifecyclestage', operator: 'NEQ', value: 'customer' }])).toEqual(['ann@hubspot.com'])
    expect(await ids('deals', [{ propertyName: 'amount', operator: 'LT', value: '2500' }])).toEqual(['Deal 100'])
    expect(await ids('deals', [{ propertyName: 'amount', operator: 'LTE', value: '2500' }])).toEqual(['Deal 100', 'Deal 2500'])
    expect(await ids('deals', [{ propertyName: 'amount', operator: 'GT', value: '2500' }])).toEqual(['Deal 99000'])
    expect(await ids('deals', [{ propertyName: 'amount', operator: 'GTE', value: '2500' }])).toEqual(['Deal 2500', 'Deal 99000'])
    expect(await ids('deals', [{ propertyName: 'amount', operator: 'BETWEEN', value: '200', highValue: '3000' }])).toEqual(['Deal 2500'])
    expect(await ids('contacts', [{ propertyName: 'firstname', operator: 'IN', values: ['ann', 'cy'] }])).toEqual(['ann@hubspot.com', 'cy@hubspot.com'])
    expect(await ids('contacts', [{ propertyName: 'firstname', operator: 'NOT_IN', values: ['ann', 'cy'] }])).toEqual(['bob@acme.io'])
    expect(await ids('contacts', [{ propertyName: 'phone', operator: 'HAS_PROPERTY' }])).toEqual(['bob@acme.io'])
    expect(await ids('contacts', [{ propertyName: 'lastname', operator: 'NOT_HAS_PROPERTY' }])).toEqual(['cy@hubspot.com'])
    expect(await ids('contacts', [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@hubspot.com' }])).toEqual(['ann@hubspot.com', 'cy@hubspot.com'])
    expect(await ids('contacts', [{ propertyName: 'email', operator: 'NOT_CONTAINS_TOKEN', value: '*@hubspot.com' }])).toEqual(['bob@acme.io'])
  })

  it('ORs filter groups and ANDs filters within a group', async () => {
    const res = await search(sb, 'contacts', {
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }, { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@acme.io' }] },
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'ann' }] },
      ],
    })
    expect(res.body.total).toBe(2)
  })

  it('matches datetime filters given as epoch-ms strings and sorts descending', async () => {
    const res = await search(sb, 'contacts', {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }], limit: 2,
    })
    expect(res.body.total).toBe(3)
    expect(res.body.results.map((r: any) => r.properties.email)).toEqual(['cy@hubspot.com', 'bob@acme.io'])
    expect(res.body.paging.next.after).toBe('2')
  })

  it('returns HubSpot default search properties and an empty result as exactly {total:0, results:[]}', async () => {
    const res = await search(sb, 'contacts', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'nobody@x.com' }] }] })
    expect(res.body).toEqual({ total: 0, results: [] })
    const all = await sdk(sb).crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 })
    expect(Object.keys(all.results[0].properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'])
  })

  it('finds records with the query string across the searchable properties', async () => {
    expect((await search(sb, 'contacts', { query: 'stone' })).body.total).toBe(1)
  })

  it('rejects more filters than the documented caps and more than one sort', async () => {
    const filters = Array.from({ length: 7 }, () => ({ propertyName: 'email', operator: 'HAS_PROPERTY' }))
    expect((await search(sb, 'contacts', { filterGroups: [{ filters }] })).status).toBe(400)
    const sorts = ['email', 'firstname']
    expect((await search(sb, 'contacts', { sorts })).status).toBe(400)
    expect((await search(sb, 'contacts', { limit: 201 })).status).toBe(400)
  })

  it('never returns archived records', async () => {
    const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'gone@acme.io' }, associations: [] })
    await sdk(sb).crm.contacts.basicApi.archive(c.id)
    expect(await ids('contacts', [{ propertyName: 'email', operator: 'EQ', value: 'gone@acme.io' }])).toEqual([])
  })
})

describe('the 10,000-result cap', () => {
  let sb: HubSpotSandbox
  beforeAll(async () => {
    sb = await startSandbox({ contacts: 10_050, companies: 0, deals: 0 })
  })
  afterAll(() => sb.close())

  it('pages up to 10,000 results and fails with 400 when after + limit reaches past it', async () => {
    const body = (after: string, limit: number) => ({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }], limit, after,
    })
    const last = await search(sb, 'contacts', body('9800', 200))
    expect(last.status).toBe(200)
    expect(last.body.total).toBe(10_050)
    expect(last.body.results).toHaveLength(200)
    expect(last.body.paging.next.after).toBe('10000')
    const past = await apiError(sdk(sb).crm.contacts.searchApi.doSearch(body('10000', 10) as any))
    expect(past.code).toBe(400)
    expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' })
    expect((await search(sb, 'contacts', body('9900', 200))).status).toBe(400)
  })

  it('pages the watermark query in updatedAt order without gaps or repeats', async () => {
    const seen: string[] = []
    let after: string | undefined = '0'
    while (after !== undefined && seen.length < 1000) {
      const res: any = await search(sb, 'contacts', {
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
        sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }], limit: 200, after, properties: ['lastmodifieddate'],
      })
      seen.push(...res.body.results.map((r: any) => r.properties.lastmodifieddate))
      after = res.body.paging?.next.after
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort()).toEqual(seen)
  })
})

describe('search indexing lag', () => {
  it('shows a new or changed record in search only after the configured lag', async () => {
    const clock = new ManualClock()
    const sb = await startSandbox({ clock, searchIndexLagMs: 3000 })
    try {
      const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'late@acme.io', firstname: 'Old' }, associations: [] })
      const find = async () => (await search(sb, 'contacts', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'late@acme.io' }] }], properties: ['firstname'] })).body
      expect((await find()).total).toBe(0)
      clock.advance(3000)
      expect((await find()).results[0].properties.firstname).toBe('Old')
      await sdk(sb).crm.contacts.basicApi.update(c.id, { properties: { firstname: 'New' } })
      expect((await find()).results[0].properties.firstname).toBe('Old')
      clock.advance(2999)
      expect((await find()).results[0].properties.firstname).toBe('Old')
      clock.advance(1)
      expect((await find()).results[0].properties.firstname).toBe('New')
      // Reads by id are not lagged.
      expect((await sdk(sb).crm.contacts.basicApi.getById(c.id, ['firstname'])).properties.firstname).toBe('New')
      // The control API can make everything visible at once.
      await sdk(sb).crm.contacts.basicApi.update(c.id, { properties: { firstname: 'Newer' } })
      await control(sb, 'POST', '/search-index/flush')
      expect((await find()).results[0].properties.firstname).toBe('Newer')
    } finally {
      await sb.close()
    }
  })
})
