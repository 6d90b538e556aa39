// Each strategy on the same conflicting pair: a deal both sides edited since the last
// sync, the app's edits five minutes after the CRM's.
import { describe, expect, it } from 'vitest'
import { conflictConfigSchema, type Strategy } from './config'
import { resolveChanges } from './resolve'
import type { FieldState, RecordChanges, Resolution } from './types'

const crmAt = new Date('2026-01-10T10:00:00Z')
const appAt = new Date('2026-01-10T10:05:00Z')
const both = (local: string | null, remote: string | null): FieldState =>
  ({ local, remote, localChanged: true, remoteChanged: true, localAt: null, remoteAt: null })

const pair: RecordChanges = {
  objectType: 'deal',
  localUpdatedAt: appAt,
  remoteUpdatedAt: crmAt,
  fields: {
    name: both('Acme renewal 2026', 'Acme renewal'),
    amount: both('1200', '1500'),
    closeDate: both('2026-03-01T00:00:00.000Z', '2026-02-15T00:00:00.000Z'),
    description: both('Call back Monday.', 'Sent the quote.'),
    stage: both('contractsent', 'closedwon'),
    pipeline: both(null, 'enterprise'),
  },
}

const table: { strategy: Strategy; expected: Omit<Resolution, 'decisions'>; winners: Record<string, string> }[] = [
  {
    strategy: 'timestamp_based',
    expected: {
      toLocal: { pipeline: 'enterprise' },
      toRemote: { name: 'Acme renewal 2026', amount: '1200', closeDate: '2026-03-01T00:00:00.000Z',
        description: 'Call back Monday.', stage: 'contractsent' },
      conflicts: [],
    },
    winners: { name: 'local', amount: 'local', closeDate: 'local', description: 'local', stage: 'local', pipeline: 'remote' },
  },
  {
    strategy: 'source_priority',
    expected: {
      toLocal: { name: 'Acme renewal', amount: '1500', closeDate: '2026-02-15T00:00:00.000Z',
        description: 'Sent the quote.', stage: 'closedwon', pipeline: 'enterprise' },
      toRemote: {},
      conflicts: [],
    },
    winners: { name: 'remote', amount: 'remote', closeDate: 'remote', description: 'remote', stage: 'remote', pipeline: 'remote' },
  },
  {
    strategy: 'field_merge',
    expected: {
      toLocal: { amount: '1500', description: 'Call back Monday.\n\nSent the quote.', pipeline: 'enterprise' },
      toRemote: { name: 'Acme renewal 2026', closeDate: '2026-03-01T00:00:00.000Z',
        description: 'Call back Monday.\n\nSent the quote.', stage: 'contractsent' },
      conflicts: [],
    },
    winners: { name: 'local', amount: 'remote', closeDate: 'local', description: 'merged', stage: 'local', pipeline: 'remote' },
  },
  {
    strategy: 'manual_review',
    expected: { toLocal: {}, toRemote: {}, conflicts: ['name', 'amount', 'closeDate', 'description', 'stage', 'pipeline'] },
    winners: { name: 'none', amount: 'none', closeDate: 'none', description: 'none', stage: 'none', pipeline: 'none' },
  },
]

describe('each strategy on the same conflicting pair', () => {
  it.each(table)('$strategy', ({ strategy, expected, winners }) => {
    const { decisions, ...writes } = resolveChanges(pair, conflictConfigSchema.parse({ strategy }))
    expect(writes).toEqual(expected)
    expect(Object.fromEntries(Object.entries(decisions).map(([f, d]) => [f, d.winner]))).toEqual(winners)
  })
})

describe('timestamp_based', () => {
  const times = (local: string | null, remote: string | null) =>
    ({ local: local ? new Date(local) : null, remote: remote ? new Date(remote) : null })
  it.each([
    ['a per-field time beats the record time', times(null, '2026-01-10T11:00:00Z'), times('2026-01-10T10:30:00Z', null), {}, 'remote'],
    ['the newer per-field time wins', times('2026-01-10T09:00:00Z', '2026-01-10T08:00:00Z'), times(null, null), {}, 'local'],
    ['record times when no field time is given', times(null, null), times('2026-01-10T08:00:00Z', '2026-01-10T09:00:00Z'), {}, 'remote'],
    ['a tie goes to the CRM by default', times('2026-01-10T09:00:00Z', '2026-01-10T09:00:00Z'), times(null, null), {}, 'remote'],
    ['a tie goes to the app when configured', times('2026-01-10T09:00:00Z', '2026-01-10T09:00:00Z'), times(null, null), { tiebreak: 'app' }, 'local'],
    ['an unknown time is a tie, not "older"', times('2026-01-10T09:00:00Z', null), times(null, null), {}, 'remote'],
  ] as const)('%s', (_name, field, record, config, winner) => {
    const changes: RecordChanges = {
      objectType: 'contact',
      fields: { jobTitle: { ...both('app value', 'crm value'), localAt: field.local, remoteAt: field.remote } },
      localUpdatedAt: record.local,
      remoteUpdatedAt: record.remote,
    }
    const { decisions } = resolveChanges(changes, conflictConfigSchema.parse({ strategy: 'timestamp_based', ...config }))
    expect(decisions.jobTitle.winner).toBe(winner)
  })
})

describe('source_priority', () => {
  it.each([
    [['crm', 'app'], 'remote'],
    [['app', 'crm'], 'local'],
    [['app'], 'local'],
  ] as const)('%j → %s wins', (sourcePriority, winner) => {
    const config = conflictConfigSchema.parse({ strategy: 'source_priority', sourcePriority: [...sourcePriority] })
    expect(resolveChanges({ objectType: 'contact', fields: { jobTitle: both('a', 'b') } }, config).decisions.jobTitle.winner)
      .toBe(winner)
  })
})

describe('field_merge', () => {
  const merge = conflictConfigSchema.parse({ strategy: 'field_merge', neverOverwriteWithEmpty: false })
  it.each([
    ['notes: one containing the other keeps the longer', 'deal', 'description', 'Quote sent.', 'Quote sent.\n\nSigned!', 'Quote sent.\n\nSigned!'],
    ['notes: appended app first', 'contact', 'description', 'A', 'B', 'A\n\nB'],
    ['score: numeric max, not string order', 'deal', 'amount', '900', '1000.5', '1000.5'],
    ['score: a non-number falls back to the newest change', 'deal', 'amount', 'n/a', '10', 'n/a'],
    ['datetime: the latest', 'contact', 'lastActivityAt', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['email: the newest change', 'contact', 'email', 'new@acme.com', 'old@acme.com', 'new@acme.com'],
    ['non-empty beats empty even with the guard off', 'contact', 'phone', null, '+14155550100', '+14155550100'],
    ['a field the engine does not know merges as text', 'contact', 'hs_custom', 'x', 'y', 'x'],
  ] as const)('%s', (_name, objectType, field, local, remote, value) => {
    const changes: RecordChanges = { objectType, fields: { [field]: both(local, remote) }, localUpdatedAt: appAt, remoteUpdatedAt: crmAt }
    const { toLocal, toRemote } = resolveChanges(changes, merge)
    const after = { local: field in toLocal ? toLocal[field] : local, remote: field in toRemote ? toRemote[field] : remote }
    expect(after).toEqual({ local: value, remote: value })
  })
})
