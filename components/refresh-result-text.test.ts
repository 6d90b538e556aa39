import { describe, expect, it } from 'vitest'
import { emptyCounts } from '@/lib/store/runs'
import type { ObjectSummary, SyncSummary } from '@/lib/crm/sync-service'
import { refreshResultText } from './refresh-result-text'

const object = (status: ObjectSummary['status'], counts: Partial<ObjectSummary> = {}): ObjectSummary =>
  ({ ...emptyCounts(), status, durationMs: 100, ...counts })
const summary = (status: SyncSummary['status'], objects: SyncSummary['objects'], extra: Partial<SyncSummary> = {}): SyncSummary =>
  ({ status, runGroup: 'g', connectionId: 'c', dryRun: false, durationMs: 2_900, objects, ...extra })

describe("Refresh CRM's outcome in words", () => {
  it.each([
    ['all synced', [summary('success', { contacts: object('success', { created: 2, updated: 1 }), deals: object('success', { pushed: 1 }) })],
      'Synced: 3 changed, 1 pushed in 2.9 s'],
    ['a large backfill, grouped', [summary('success', { contacts: object('success', { created: 20_000 }) })],
      'Synced: 20,000 changed, 0 pushed in 2.9 s'],
    ['one type failed: which, why, and that a retry may help', [summary('partial', { owners: object('success'), contacts: object('failed', { error: '[transient] HubSpot 500: internal error' }) })],
      'Partly synced: 0 changed, 0 pushed in 2.9 s. Contacts failed (HubSpot 500: internal error). Refresh CRM tries again.'],
    ['a refused token: reconnect first', [summary('failed', { owners: object('failed', { error: '[auth_expired] HubSpot 401: token expired' }) })],
      'Sync failed: 0 changed, 0 pushed in 2.9 s. Owners failed (HubSpot 401: token expired). Reconnect HubSpot, then Refresh CRM.'],
    ['some records failed, the types synced', [summary('partial', { contacts: object('partial', { updated: 4, failed: 2 }) })],
      'Partly synced: 4 changed, 0 pushed in 2.9 s. Some records failed (listed on the card). Refresh CRM tries again.'],
    ['stopped early: the next sync goes on', [summary('partial', { contacts: object('partial', { created: 5 }) }, { stopped: 'out of time' })],
      'Partly synced: 5 changed, 0 pushed in 2.9 s (out of time; the next sync goes on from there)'],
    ['busy', [summary('busy', {})], 'A sync was already running'],
    // One line: a capital to start it, the second connection's part a clause of it.
    ['two connections', [summary('success', {}), summary('busy', {})], 'Synced: 0 changed, 0 pushed in 2.9 s; a sync was already running'],
    ['two connections, the busy one first', [summary('busy', {}), summary('failed', {})], 'A sync was already running; sync failed: 0 changed, 0 pushed in 2.9 s'],
  ] as const)('%s', (_, results, expected) => {
    expect(refreshResultText([...results])).toBe(expected)
  })
})
