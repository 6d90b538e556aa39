import { describe, expect, it } from 'vitest'
import type { Fields } from '../types'
import { appSideNow, changedSinceSeen, seenValues, type SeenValues } from './app-side'

const stored: Fields = { jobTitle: 'App s1', phone: '+14155550100', email: 'jane@acme.com' }

describe('appSideNow', () => {
  it.each<[string, string[], Fields, Fields]>([
    ['an app edit since the sync is the app side', ['jobTitle'], { jobTitle: 'App s2', phone: '+14155550100', email: 'jane@acme.com' },
      { jobTitle: 'App s2', phone: '+14155550100', email: 'jane@acme.com' }],
    ['cleared in the app: the app side is empty', ['jobTitle'], { jobTitle: null }, { ...stored, jobTitle: null }],
    ['only conflicting fields follow the row', ['jobTitle'], { jobTitle: 'App s1', email: 'new@acme.com' }, stored],
    ['a field the row does not carry keeps its stored value', ['jobTitle', 'phone'], { jobTitle: 'App s2' }, { ...stored, jobTitle: 'App s2' }],
  ])('%s', (_name, fields, current, expected) => {
    expect(appSideNow(fields, stored, current)).toEqual(expected)
  })
})

describe('changedSinceSeen', () => {
  const now = { local: { jobTitle: 'App s2', phone: null }, remote: { jobTitle: 'CRM s1', phone: '+14155550199' } }
  it.each<[string, Record<string, SeenValues>, string[]]>([
    ['both sides as seen', seenValues(['jobTitle', 'phone'], now.local, now.remote), []],
    ['the app side changed since it was shown', { jobTitle: { local: 'App s1', remote: 'CRM s1' }, phone: { local: null, remote: '+14155550199' } }, ['jobTitle']],
    ['the CRM side changed since it was shown', { jobTitle: { local: 'App s2', remote: 'CRM s0' }, phone: { local: null, remote: '+14155550199' } }, ['jobTitle']],
    ['an empty value is a value: a seen one where there is none now is a change', { jobTitle: { local: 'App s2', remote: 'CRM s1' }, phone: { local: '', remote: '+14155550199' } }, ['phone']],
    ['a field never seen counts as changed', { jobTitle: { local: 'App s2', remote: 'CRM s1' } }, ['phone']],
  ])('%s', (_name, seen, expected) => {
    expect(changedSinceSeen(['jobTitle', 'phone'], now, seen)).toEqual(expected)
  })
})
