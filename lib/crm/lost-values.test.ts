import { describe, expect, it } from 'vitest'
import { hashFieldValue } from './hash'
import { emptinessNotTheApps, hasLostEntry, LOST_ENTRY, weighLost } from './lost-values'
import type { Fields } from './types'

const h = hashFieldValue

describe('emptinessNotTheApps', () => {
  it.each([
    { name: 'lost, the app empty: not the app\'s', entry: LOST_ENTRY, value: null, out: true },
    { name: "lost, the app's '' alike", entry: LOST_ENTRY, value: '', out: true },
    { name: 'lost, a value the app wrote since: the app\'s', entry: LOST_ENTRY, value: '+14155550100', out: false },
    { name: 'synced, the app cleared it: the app\'s', entry: h('+14155550100'), value: null, out: false },
    { name: 'no entry (no sync history)', entry: undefined, value: null, out: false },
  ])('$name', ({ entry, value, out }) => expect(emptinessNotTheApps(entry, value)).toBe(out))
})

describe('weighLost', () => {
  it.each<{ name: string; app: Fields; base: Record<string, string>; crm: Fields; out: ReturnType<typeof weighLost> }>([
    { name: 'nothing lost: as given', app: { phone: null }, base: { phone: h('+1') }, crm: { phone: '+1' },
      out: { app: { phone: null }, base: { phone: h('+1') }, filled: [] } },
    { name: "lost and empty in the app: the CRM's value, no base", app: { phone: null, email: 'a@x.io' }, base: { phone: LOST_ENTRY, email: h('a@x.io') },
      crm: { phone: '+1', email: 'a@x.io' }, out: { app: { phone: '+1', email: 'a@x.io' }, base: { email: h('a@x.io') }, filled: ['phone'] } },
    { name: 'lost, empty on both sides: nothing filled', app: { phone: null }, base: { phone: LOST_ENTRY }, crm: { phone: null },
      out: { app: { phone: null }, base: {}, filled: [] } },
    { name: "lost, the app wrote a value since: the app's, no base (the strategy settles a difference)", app: { phone: '+2' }, base: { phone: LOST_ENTRY },
      crm: { phone: '+1' }, out: { app: { phone: '+2' }, base: {}, filled: [] } },
  ])('$name', ({ app, base, crm, out }) => expect(weighLost(app, base, crm)).toEqual(out))

  it('hasLostEntry', () => {
    expect(hasLostEntry({ phone: LOST_ENTRY })).toBe(true)
    expect(hasLostEntry({ phone: 'empty', '@company': '#1' })).toBe(false)
  })
})
