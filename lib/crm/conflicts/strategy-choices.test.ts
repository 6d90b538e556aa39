import { describe, expect, it } from 'vitest'
import { conflictConfigSchema, type ConflictConfigInput } from './config'
import type { Fields } from '../types'
import type { ReviewChoice } from './review-decision'
import { choicesByStrategy, timesNow } from './strategy-choices'

const appNewer = { local: new Date('2026-01-10T10:05:00Z'), remote: new Date('2026-01-10T10:00:00Z') }
const crmNewer = { local: new Date('2026-01-10T10:00:00Z'), remote: new Date('2026-01-10T10:05:00Z') }

const table: { name: string; config: ConflictConfigInput; local: Record<string, string | null>; remote: Record<string, string | null>
  at?: typeof appNewer; expected: Record<string, ReviewChoice> | undefined }[] = [
  { name: 'HubSpot wins: every field goes to the CRM', config: { strategy: 'source_priority' },
    local: { jobTitle: 'CEO', phone: '+14155550100' }, remote: { jobTitle: 'CTO', phone: '+14155550199' },
    expected: { jobTitle: 'remote', phone: 'remote' } },
  { name: 'the newer edit wins: the app edited last', config: { strategy: 'timestamp_based' },
    local: { jobTitle: 'CEO' }, remote: { jobTitle: 'CTO' }, at: appNewer, expected: { jobTitle: 'local' } },
  { name: 'the newer edit wins: the CRM edited last', config: { strategy: 'timestamp_based' },
    local: { jobTitle: 'CEO' }, remote: { jobTitle: 'CTO' }, at: crmNewer, expected: { jobTitle: 'remote' } },
  { name: 'merge: notes are appended, as a typed value for both sides', config: { strategy: 'field_merge' },
    local: { description: 'app notes' }, remote: { description: 'crm notes' }, expected: { description: { value: 'app notes\n\ncrm notes' } } },
  { name: 'the empty guard keeps the non-empty value', config: { strategy: 'source_priority' },
    local: { jobTitle: 'CEO' }, remote: { jobTitle: null }, expected: { jobTitle: 'local' } },
  { name: 'a field still set to manual review leaves the whole conflict open', config: { strategy: 'source_priority', perField: { 'contact.phone': 'manual_review' } },
    local: { jobTitle: 'CEO', phone: '+14155550100' }, remote: { jobTitle: 'CTO', phone: '+14155550199' }, expected: undefined },
  { name: 'manual review itself decides nothing', config: { strategy: 'manual_review' },
    local: { jobTitle: 'CEO' }, remote: { jobTitle: 'CTO' }, expected: undefined },
  { name: 'both sides came to the same value meanwhile: that value', config: { strategy: 'manual_review' },
    local: { jobTitle: 'CEO' }, remote: { jobTitle: 'CEO' }, expected: { jobTitle: 'local' } },
]

describe('choicesByStrategy', () => {
  it.each(table)('$name', ({ config, local, remote, at, expected }) => {
    const conflict = { fields: Object.keys(local), localSnapshot: local, remoteSnapshot: remote }
    expect(choicesByStrategy('contact', conflict, conflictConfigSchema.parse(config), at ?? appNewer)).toEqual(expected)
  })
})

describe('timesNow', () => {
  const [opened, crmAt, appRow] = [new Date('2026-01-10T10:00:00Z'), new Date('2026-01-10T10:05:00Z'), new Date('2026-01-10T11:00:00Z')]
  const stored = { local: { jobTitle: 'CEO', phone: null }, localChangedAt: opened, remoteChangedAt: crmAt }
  it.each<{ name: string; app: Fields; expected: { local: Date; remote: Date } }>([
    { name: "the app's row holds what the conflict stored: the stored times", app: { jobTitle: 'CEO', phone: null }, expected: { local: opened, remote: crmAt } },
    { name: 'another field of the row changed: the stored times', app: { jobTitle: 'CEO', phone: null, lastName: 'New' }, expected: { local: opened, remote: crmAt } },
    { name: "the app edited a conflicting field since: the row's updated_at", app: { jobTitle: 'Chief', phone: null }, expected: { local: appRow, remote: crmAt } },
    { name: 'the app cleared a conflicting field since', app: { jobTitle: null, phone: null }, expected: { local: appRow, remote: crmAt } },
    { name: 'the app set a conflicting field that was empty', app: { jobTitle: 'CEO', phone: '+14155550100' }, expected: { local: appRow, remote: crmAt } },
  ])('$name', ({ app, expected }) => {
    expect(timesNow(['jobTitle', 'phone'], stored, { fields: app, updatedAt: appRow })).toEqual(expected)
  })
  it('opened before the times were kept, the app unchanged since: none (the tie-break decides)', () => {
    expect(timesNow(['jobTitle'], { ...stored, localChangedAt: null, remoteChangedAt: null }, { fields: { jobTitle: 'CEO' }, updatedAt: appRow }))
      .toEqual({ local: null, remote: null })
  })
})
