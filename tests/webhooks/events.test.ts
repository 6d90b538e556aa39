import { describe, expect, it } from 'vitest'
import { eventKey, hubspotBatchSchema, hubspotEventSchema, parseBatch, storableJson, toInboxEvents } from '../../lib/crm/webhooks/hubspot/events'

// The ack path validates with a hand-written check (the schema's parse was its largest
// cost); it must accept exactly what the schema accepts.

const base = {
  eventId: 100, subscriptionId: 25, portalId: 62515, appId: 54321, occurredAt: 1_700_000_000_000,
  subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 123, changeSource: 'CRM_UI',
  propertyName: 'jobtitle', propertyValue: 'CTO',
}
const association = {
  eventId: 7, portalId: 62515, occurredAt: 1_700_000_000_000, subscriptionType: 'contact.associationChange', objectId: 5,
  associationType: 'CONTACT_TO_COMPANY', fromObjectId: 5, toObjectId: '9', associationRemoved: true, isPrimaryAssociation: false,
}
const merge = { eventId: '8', portalId: '62515', occurredAt: 1, eventType: 'contact.merge', objectId: 5, primaryObjectId: 5, mergedObjectIds: [6, '7'], newObjectId: 8 }

const values: unknown[] = [undefined, null, true, 0, -1, 1.5, 2 ** 53, 7, '7', '07', '7a', '', 'contact.creation', 'Contact.creation', [], [1], ['x'], {}]
const fields = ['eventId', 'subscriptionId', 'portalId', 'appId', 'occurredAt', 'subscriptionType', 'eventType', 'attemptNumber', 'objectId',
  'changeSource', 'changeFlag', 'propertyName', 'propertyValue', 'primaryObjectId', 'mergedObjectIds', 'newObjectId', 'associationType',
  'fromObjectId', 'toObjectId', 'associationRemoved', 'isPrimaryAssociation', 'somethingNew']

function variants(): unknown[][] {
  const out: unknown[][] = [[base], [association], [merge], [base, association, merge], [], Array.from({ length: 101 }, () => base),
    Array.from({ length: 100 }, () => base), [null], [[base]], ['x'], [{ ...base, subscriptionType: undefined }]]
  for (const e of [base, association, merge]) {
    for (const f of fields) {
      for (const v of values) out.push([{ ...e, [f]: v }])
      const { [f]: _, ...without } = e as Record<string, unknown>
      out.push([without])
    }
  }
  return out
}

describe('validating a delivery', () => {
  it('accepts exactly what the schema accepts', () => {
    const all = variants()
    let accepted = 0
    for (const batch of all) {
      const fast = parseBatch(JSON.stringify(batch))
      expect(fast.ok, JSON.stringify(batch)).toBe(hubspotBatchSchema.safeParse(batch).success)
      if (fast.ok) accepted++
    }
    expect(accepted).toBeGreaterThan(50)
    expect(accepted).toBeLessThan(all.length - 50)
  })

  it("reports each event's portal as the schema's output prints it", () => {
    const batch = [base, { ...base, portalId: '062515' }, { ...base, portalId: 7 }]
    const parsed = parseBatch(JSON.stringify(batch))
    expect(parsed).toMatchObject({ ok: true, portals: ['62515', '62515', '7'] })
    expect(parsed.ok && parsed.portals).toEqual(hubspotBatchSchema.parse(batch).map((e) => String(e.portalId)))
  })

  it('refuses a body nested deeper than Postgres could store, with a clear message', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const body = JSON.stringify([{ ...base, extra: 'DEEP' }]).replace('"DEEP"', deep)
    expect(parseBatch(body)).toEqual({ ok: false, error: 'body: nested deeper than 32 levels' })
    expect(parseBatch(JSON.stringify([{ ...base, extra: { a: [{ b: 1 }] } }])).ok).toBe(true)
  })

  it("gives the schema's message when it refuses", () => {
    expect(parseBatch('[{"eventId":')).toEqual({ ok: false, error: 'body is not JSON' })
    expect(parseBatch(JSON.stringify([{ ...base, objectId: 'abc' }]))).toMatchObject({ ok: false, error: expect.stringContaining('0.objectId') })
  })
})

describe('storing a delivery', () => {
  it('stores the body as received when Postgres can hold it', () => {
    const raw = JSON.stringify([base, merge])
    expect(storableJson(JSON.parse(raw), raw)).toBe(raw)
  })

  it('replaces what jsonb refuses (NUL, unpaired surrogates) and keeps the rest', () => {
    const raw = '[{"eventId":1,"propertyValue":"a\\u0000b \\ud83d\\ude00 \\ud800 end","odd\\u0000key":"\\udc00"}]'
    const stored = JSON.parse(storableJson(JSON.parse(raw), raw))
    expect(stored).toEqual([{ eventId: 1, propertyValue: 'a\ufffdb 😀 \ufffd end', 'odd\ufffdkey': '\ufffd' }])
  })

  it('keys a stored event as the schema output of the received one, however its ids were written', () => {
    const [first, again] = toInboxEvents([{ ...association, fromObjectId: '5', attemptNumber: 0 }, { ...association, eventId: '7', attemptNumber: 3 }])
    expect(first.eventKey).toBe(eventKey(hubspotEventSchema.parse(association)))
    expect(again.eventKey).toBe(first.eventKey)
    expect(first).toMatchObject({ subscriptionType: 'contact.associationChange', objectType: 'contact', objectId: '5', occurredAt: 1_700_000_000_000 })
    expect(toInboxEvents([merge])[0]).toMatchObject({ subscriptionType: 'contact.merge', objectId: '5', payload: { eventId: 8, portalId: 62515 } })
  })
})
