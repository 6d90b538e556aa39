import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { apiError, raw, sdk, startSandbox } from './helpers.js'

let sb: HubSpotSandbox
beforeAll(async () => {
  sb = await startSandbox()
})
afterAll(() => sb.close())

describe('batch endpoints', () => {
  it('batch/create answers 201 with COMPLETE status, results, startedAt and completedAt', async () => {
    const res = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { email: 'b1@x.com' } }, { properties: { email: 'b2@x.com' } }] })
    expect(res.status).toBe(201)
    expect(res.body.status).toBe('COMPLETE')
    expect(res.body.results).toHaveLength(2)
    expect(res.body).toHaveProperty('startedAt')
    expect(res.body).not.toHaveProperty('errors')
  })

  it('fails a whole batch/create with 409 on a duplicate email when inputs carry no objectWriteTraceId', async () => {
    const res = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { email: 'fresh@x.com' } }, { properties: { email: 'b1@x.com' } }] })
    expect(res.status).toBe(409)
    expect(res.body.category).toBe('CONFLICT')
    const found = await raw(sb, 'GET', `/crm/v3/objects/contacts/fresh@x.com?idProperty=email`)
    expect(found.status).toBe(404)
  })

  it('answers 207 with per-input errors keyed by objectWriteTraceId when every input has one', async () => {
    const res = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { properties: { email: 'ok207@x.com' }, objectWriteTraceId: 't1' },
        { properties: { email: 'bad207@x.com', missing: 'x' }, objectWriteTraceId: 't2' },
      ],
    })
    expect(res.status).toBe(207)
    expect(res.body.numErrors).toBe(1)
    expect(res.body.results[0]).toMatchObject({ properties: { email: 'ok207@x.com' }, objectWriteTraceId: 't1' })
    expect(res.body.errors[0]).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['t2'] } })
    expect(res.body.errors[0].message).toContain('PROPERTY_DOESNT_EXIST')
  })

  it('rejects more than 100 inputs with 400', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `many${i}@x.com` } }))
    const err = await apiError(sdk(sb).crm.contacts.batchApi.create({ inputs } as any))
    expect(err.code).toBe(400)
    expect(err.body.category).toBe('VALIDATION_ERROR')
  })

  it('batch/read returns 207 listing ids that do not exist, and reads by email with idProperty', async () => {
    const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'read@x.com', firstname: 'R' }, associations: [] })
    const res = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/read', { properties: ['firstname'], inputs: [{ id: c.id }, { id: '123456789' }] })
    expect(res.status).toBe(207)
    expect(res.body.results[0].properties.firstname).toBe('R')
    expect(res.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['123456789'] } })
    const byEmail = await sdk(sb).crm.contacts.batchApi.read({ idProperty: 'email', properties: ['firstname'], propertiesWithHistory: [], inputs: [{ id: 'read@x.com' }] })
    expect(byEmail.results[0].id).toBe(c.id)
  })

  it('batch/update changes records and rejects duplicate ids in one request', async () => {
    const c = await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'upd@x.com' }, associations: [] })
    const ok = await sdk(sb).crm.contacts.batchApi.update({ inputs: [{ id: c.id, properties: { jobtitle: 'CEO' } }] })
    expect(ok.results[0].properties.jobtitle).toBe('CEO')
    const dup = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id: c.id, properties: {} }, { id: c.id, properties: {} }] })
    expect(dup.status).toBe(400)
  })

  it('batch/upsert by email creates missing records and updates existing ones, flagging which are new', async () => {
    await sdk(sb).crm.contacts.basicApi.create({ properties: { email: 'exists@x.com' }, associations: [] })
    const res = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'exists@x.com', idProperty: 'email', properties: { firstname: 'Old' } },
        { id: 'brandnew@x.com', idProperty: 'email', properties: { firstname: 'New' } },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.body.results.map((r: any) => [r.properties.email, r.new])).toEqual([['exists@x.com', false], ['brandnew@x.com', true]])
    const viaSdk = await sdk(sb).crm.contacts.batchApi.upsert({ inputs: [{ id: 'brandnew@x.com', idProperty: 'email', properties: { lastname: 'Person' } }] })
    expect(viaSdk.results[0]._new).toBe(false)
  })

  it('batch/upsert refuses two inputs with one email, as batch/create does: the whole batch, or that input with a 207', async () => {
    await sdk(sb).crm.properties.coreApi.create('contacts', { name: 'upsert_key', label: 'Upsert key', type: 'string' as any, fieldType: 'text' as any, groupName: 'contactinformation', hasUniqueValue: true })
    const input = (key: string, email: string, trace?: string) => ({ id: key, idProperty: 'upsert_key', properties: { email }, ...(trace ? { objectWriteTraceId: trace } : {}) })
    const whole = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [input('k1', 'Twice@x.com'), input('k2', 'twice@x.com')] })
    expect(whole.status).toBe(400)
    expect(whole.body.category).toBe('VALIDATION_ERROR')
    expect(whole.body.message).toContain('Duplicate email')
    expect((await raw(sb, 'GET', '/crm/v3/objects/contacts/twice@x.com?idProperty=email')).status).toBe(404)

    const per = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [input('k3', 'once@x.com', 't1'), input('k4', 'once@x.com', 't2')] })
    expect(per.status).toBe(207)
    expect(per.body.results.map((r: any) => [r.properties.email, r.objectWriteTraceId])).toEqual([['once@x.com', 't1']])
    expect(per.body.errors[0]).toMatchObject({ category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['t2'] } })
  })

  it('batch/upsert by email still takes an input whose properties repeat its own email', async () => {
    const res = await raw(sb, 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ id: 'self@x.com', idProperty: 'email', properties: { email: 'self@x.com', firstname: 'Self' } }] })
    expect(res.status).toBe(200)
    expect(res.body.results[0]).toMatchObject({ new: true, properties: { email: 'self@x.com' } })
  })

  it('batch/archive answers 204 even for ids that do not exist', async () => {
    const c = await sdk(sb).crm.companies.basicApi.create({ properties: { name: 'To archive' }, associations: [] })
    const res = await raw(sb, 'POST', '/crm/v3/objects/companies/batch/archive', { inputs: [{ id: c.id }, { id: '987654321' }] })
    expect(res.status).toBe(204)
    expect((await raw(sb, 'GET', `/crm/v3/objects/companies/${c.id}`)).status).toBe(404)
  })
})
