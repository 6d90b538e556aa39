import { describe, expect, it } from 'vitest'
import { applyReviewDecision, type ReviewChoice, type ReviewOutcome, type StoredConflict } from './review-decision'

const conflict: StoredConflict = {
  fields: ['jobTitle', 'phone'],
  localSnapshot: { jobTitle: 'CTO', phone: '+14155550100', email: 'jane@acme.com' },
  remoteSnapshot: { jobTitle: 'CEO', phone: null, email: 'jane@acme.com' },
}

describe('applyReviewDecision', () => {
  it.each<[string, Record<string, ReviewChoice>, ReviewOutcome]>([
    ["keeping the app's values pushes them to the CRM", { jobTitle: 'local', phone: 'local' },
      { toLocal: {}, toRemote: { jobTitle: 'CTO', phone: '+14155550100' }, undecided: [] }],
    ["keeping the CRM's values writes them locally, an empty one included", { jobTitle: 'remote', phone: 'remote' },
      { toLocal: { jobTitle: 'CEO', phone: null }, toRemote: {}, undecided: [] }],
    ['a typed value goes to both sides', { jobTitle: { value: 'Founder' }, phone: 'remote' },
      { toLocal: { jobTitle: 'Founder', phone: null }, toRemote: { jobTitle: 'Founder' }, undecided: [] }],
    ['a typed value equal to one side is written to the other only', { jobTitle: { value: 'CEO' }, phone: 'local' },
      { toLocal: { jobTitle: 'CEO' }, toRemote: { phone: '+14155550100' }, undecided: [] }],
    ['a field with no choice stays undecided', { jobTitle: 'remote' },
      { toLocal: { jobTitle: 'CEO' }, toRemote: {}, undecided: ['phone'] }],
    ['a choice for a field outside the conflict is ignored', { email: { value: 'x@y.com' }, jobTitle: 'local', phone: 'local' },
      { toLocal: {}, toRemote: { jobTitle: 'CTO', phone: '+14155550100' }, undecided: [] }],
  ])('%s', (_name, choices, expected) => {
    expect(applyReviewDecision(conflict, choices)).toEqual(expected)
  })
})
