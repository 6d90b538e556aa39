import { describe, expect, it } from 'vitest'
import { matchIdentities, type IdentityDecision, type IdentityLookups, type IncomingIdentity, type LocalCandidate } from './identity'

const manual = (localId: string, extra: Partial<LocalCandidate> = {}): LocalCandidate =>
  ({ localId, linkedRemoteId: null, source: 'manual', ...extra })
const incoming = (remoteId: string, email: string | null, phone: string | null = null): IncomingIdentity =>
  ({ remoteId, email, phone })

function lookups(parts: {
  links?: Record<string, string>
  byEmail?: Record<string, LocalCandidate[]>
  byPhone?: Record<string, LocalCandidate[]>
}): IdentityLookups {
  return {
    linksByRemoteId: new Map(Object.entries(parts.links ?? {})),
    candidatesByEmail: new Map(Object.entries(parts.byEmail ?? {})),
    candidatesByPhone: new Map(Object.entries(parts.byPhone ?? {})),
  }
}

const cases: { name: string; batch: IncomingIdentity[]; state: IdentityLookups; expected: IdentityDecision[] }[] = [
  {
    name: 'an existing link wins over everything',
    batch: [incoming('r1', 'jane@example.com')],
    state: lookups({ links: { r1: 'L9' }, byEmail: { 'jane@example.com': [manual('L1')] } }),
    expected: [{ kind: 'link', localId: 'L9' }],
  },
  {
    name: 'a manual lead with the same email is linked, not duplicated',
    batch: [incoming('r1', 'jane@example.com')],
    state: lookups({ byEmail: { 'jane@example.com': [manual('L1')] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'email' }],
  },
  {
    name: 'phone is the fallback when no email matches',
    batch: [incoming('r1', 'new@example.com', '+14155550100')],
    state: lookups({ byPhone: { '+14155550100': [manual('L2')] } }),
    expected: [{ kind: 'match', localId: 'L2', reason: 'phone' }],
  },
  {
    name: 'email beats phone when they point at different local records',
    batch: [incoming('r1', 'jane@example.com', '+14155550100')],
    state: lookups({ byEmail: { 'jane@example.com': [manual('L1')] }, byPhone: { '+14155550100': [manual('L2')] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'email' }],
  },
  {
    name: 'a local record linked to another remote id is never stolen',
    batch: [incoming('r2', 'jane@example.com', '+14155550100')],
    state: lookups({
      byEmail: { 'jane@example.com': [manual('L1', { linkedRemoteId: 'r1' })] },
      byPhone: { '+14155550100': [manual('L1', { linkedRemoteId: 'r1' })] },
    }),
    expected: [{ kind: 'create' }],
  },
  {
    name: 'a candidate already linked to this very remote id is its link',
    batch: [incoming('r1', 'jane@example.com')],
    state: lookups({ byEmail: { 'jane@example.com': [manual('L0'), manual('L1', { linkedRemoteId: 'r1' })] } }),
    expected: [{ kind: 'link', localId: 'L1' }],
  },
  {
    name: 'two incoming records with one email: the second becomes create',
    batch: [incoming('r1', 'jane@example.com'), incoming('r2', 'jane@example.com')],
    state: lookups({ byEmail: { 'jane@example.com': [manual('L1')] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'email' }, { kind: 'create' }],
  },
  {
    name: 'a record matched by phone is not matched again by email later in the batch',
    batch: [incoming('r1', null, '+14155550100'), incoming('r2', 'jane@example.com')],
    state: lookups({ byEmail: { 'jane@example.com': [manual('L1')] }, byPhone: { '+14155550100': [manual('L1')] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'phone' }, { kind: 'create' }],
  },
  {
    name: 'a link later in the batch keeps its local record from an earlier email match',
    batch: [incoming('r1', 'jane@example.com'), incoming('r2', 'other@example.com')],
    state: lookups({ links: { r2: 'L1' }, byEmail: { 'jane@example.com': [manual('L1')] } }),
    expected: [{ kind: 'create' }, { kind: 'link', localId: 'L1' }],
  },
  {
    name: 'with several candidates, the manual lead is preferred',
    batch: [incoming('r1', 'jane@example.com')],
    state: lookups({ byEmail: { 'jane@example.com': [
      { localId: 'L1', linkedRemoteId: null, source: 'crm' }, { localId: 'L2', linkedRemoteId: null, source: 'import' },
      manual('L3')] } }),
    expected: [{ kind: 'match', localId: 'L3', reason: 'email' }],
  },
  {
    name: 'a taken candidate falls through to the next one for the same email',
    batch: [incoming('r1', 'jane@example.com')],
    state: lookups({ byEmail: { 'jane@example.com': [manual('L1', { linkedRemoteId: 'r0' }), manual('L2', { source: 'crm' })] } }),
    expected: [{ kind: 'match', localId: 'L2', reason: 'email' }],
  },
  {
    name: 'a shared phone does not join two people whose emails differ',
    batch: [incoming('r1', 'jane@example.com', '+14155550100')],
    state: lookups({ byPhone: { '+14155550100': [manual('L1', { email: 'switchboard@acme.com' })] } }),
    expected: [{ kind: 'create' }],
  },
  {
    name: 'a phone match is fine when the local record has no email',
    batch: [incoming('r1', 'jane@example.com', '+14155550100')],
    state: lookups({ byPhone: { '+14155550100': [manual('L1', { email: null })] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'phone' }],
  },
  {
    name: 'emails are compared normalized, whatever case and whitespace either side carries',
    batch: [incoming('r1', '  Jane@Example.COM ')],
    state: lookups({ byEmail: { 'jane@EXAMPLE.com': [manual('L1')] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'email' }],
  },
  {
    name: 'phones are compared without formatting',
    batch: [incoming('r1', null, '+1 415-555-0100')],
    state: lookups({ byPhone: { '+14155550100': [manual('L1')] } }),
    expected: [{ kind: 'match', localId: 'L1', reason: 'phone' }],
  },
  {
    name: 'no email, no phone, no link: create',
    batch: [incoming('r1', null, null), incoming('r2', '', '')],
    state: lookups({ byEmail: { '': [manual('L1')] }, byPhone: { '': [manual('L2')] } }),
    expected: [{ kind: 'create' }, { kind: 'create' }],
  },
]

describe('matchIdentities', () => {
  it.each(cases)('$name', ({ batch, state, expected }) => {
    expect(matchIdentities(batch, state)).toEqual(expected)
  })
})
