import { describe, expect, it } from 'vitest'
import { planWebhookWork } from '../../lib/crm/webhooks/plan'
import type { StoredWebhookEvent } from '../../lib/store/webhook-events'

let id = 0
const ev = (subscriptionType: string, payload: Record<string, unknown>, at = 1_000): StoredWebhookEvent => ({
  id: ++id, subscriptionType, objectType: subscriptionType.split('.')[0], objectId: String(payload.objectId), occurredAt: new Date(at),
  payload: { subscriptionType, occurredAt: at, ...payload }, attempts: 0,
})
const all = () => true

describe('planning webhook work', () => {
  it('coalesces every event of an object into one read, creations first, then by time', () => {
    const events = [
      ev('contact.propertyChange', { objectId: 1, propertyName: 'email' }, 3_000),
      ev('contact.propertyChange', { objectId: 2, propertyName: 'email' }, 1_000),
      ev('contact.propertyChange', { objectId: 1, propertyName: 'phone' }, 2_000),
      ev('contact.creation', { objectId: 3 }, 5_000),
    ]
    const work = planWebhookWork(events, all)
    const contacts = work.objects.get('contact')!
    expect(contacts.map((w) => w.remoteId)).toEqual(['3', '2', '1'])
    expect(contacts.find((w) => w.remoteId === '1')!.eventIds).toHaveLength(2)
  })

  it('companies come before the contacts and deals that reference them', () => {
    const work = planWebhookWork([ev('deal.creation', { objectId: 9 }), ev('company.creation', { objectId: 8 }), ev('contact.creation', { objectId: 7 })], all)
    expect([...work.objects.keys()]).toEqual(['company', 'contact', 'deal'])
  })

  it('a merge reads the survivor; an association change reads both ends', () => {
    const work = planWebhookWork([
      ev('contact.merge', { objectId: 10, primaryObjectId: 10, mergedObjectIds: [11], newObjectId: 10 }),
      ev('contact.associationChange', { objectId: 20, associationType: 'CONTACT_TO_COMPANY', fromObjectId: 20, toObjectId: 30, associationRemoved: false }),
    ], all)
    expect(work.objects.get('contact')!.map((w) => w.remoteId).sort()).toEqual(['10', '20'])
    expect(work.objects.get('company')!.map((w) => w.remoteId)).toEqual(['30'])
    expect(work.objects.get('company')![0].eventIds).toEqual([]) // owned by the contact end
  })

  it('deletions are flagged; types not synced are ignored, not retried', () => {
    const del = ev('deal.deletion', { objectId: 5 })
    const ticket = ev('ticket.creation', { objectId: 6 })
    const work = planWebhookWork([del, ticket, ev('company.creation', { objectId: 7 })], (t) => t !== 'company')
    expect(work.objects.get('deal')![0]).toMatchObject({ remoteId: '5', deleted: true })
    expect(work.objects.has('company')).toBe(false)
    expect(work.ignoredEventIds).toHaveLength(2)
  })
})
