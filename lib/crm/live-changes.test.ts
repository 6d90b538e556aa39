import { describe, expect, it } from 'vitest'
import { dashboardChanges, pollDelay, realtimeOnAny, shouldRefresh, statusPayload } from './live-changes'
import type { ConnectionStatusView, LatestRunView, RealtimeView } from './status'

// The poller re-renders the server parts when shouldRefresh says so, from the `changes`
// the status carries: a webhook apply (the table), a conflict it opened (the queue and the
// card's count), a record that now fails; never an idle poll.

const run: LatestRunView = {
  objectType: 'contact', trigger: 'manual', status: 'success', startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:05.000Z',
  durationMs: 5000, fetched: 10, created: 10, updated: 0, unchanged: 0, archived: 0, failed: 0, pushed: 0, conflicts: 0, error: null,
}
const applied: RealtimeView = { applied: 6, failed: 0, error: null, lastStatus: 'success', lastAt: '2026-12-01T11:00:00.000Z' }

function connection(over: Partial<ConnectionStatusView> = {}): ConnectionStatusView {
  return {
    id: '00000000-0000-4000-8000-000000000001', provider: 'hubspot', authMethod: 'oauth', portalId: '1', label: null, status: 'active',
    statusReason: null, lastSyncedAt: '2026-12-01T10:00:05.000Z', nextSyncAt: '2026-12-01T11:00:05.000Z', createdAt: '2026-12-01T09:00:00.000Z',
    openConflicts: 1, outboxPending: 0, outboxFailed: 0,
    objects: { owner: null, company: null, contact: run, deal: null },
    realtime: { owner: null, company: null, contact: applied, deal: null },
    webhooks: { enabled: true, state: 'on', turnedOnHere: false, accepting: true, verifiable: true, totalReceived: 6, lastReceivedAt: '2026-12-01T11:00:00.000Z', pending: 0, failed: 0 },
    settings: {} as ConnectionStatusView['settings'], extraPropertiesMissing: {}, running: false, stoppedSync: null,
    ...over,
  }
}
const base = connection()
/** How many writes have changed the leads, as the status carries it. */
const AT = 41
const realtime = (contact: RealtimeView | null) => ({ ...base.realtime, contact })

describe('dashboardChanges: moves when a server-rendered part would show something else', () => {
  it.each([
    ['a webhook apply (the table shows its edit)', connection({ realtime: realtime({ ...applied, applied: 7, lastAt: '2026-12-01T11:00:01.000Z' }) }), AT, true],
    ['the first webhook apply of a type', connection({ realtime: { ...base.realtime, deal: applied } }), AT, true],
    ['a conflict a webhook apply opened (queue, card count)', connection({ openConflicts: 2 }), AT, true],
    ['a conflict decided', connection({ openConflicts: 0 }), AT, true],
    ['a record a webhook apply could not write (failed to sync)', connection({ realtime: realtime({ ...applied, failed: 1 }) }), AT, true],
    ['a failing record applied since', connection({ realtime: realtime({ ...applied, failed: 0, lastStatus: 'partial' }) }), AT, true],
    ['a change the CRM refused', connection({ outboxFailed: 1 }), AT, true],
    ['an edit waiting to be pushed (another tab)', connection({ outboxPending: 1 }), AT, true],
    ['a run started and ended between two polls (the cron)', connection({ objects: { ...base.objects, contact: { ...run, startedAt: '2026-12-01T12:00:00.000Z' } } }), AT, true],
    ['the connection disconnected', connection({ status: 'disconnected' }), AT, true],
    ['a lead written (added, edited, archived, deleted)', base, AT + 1, true],
    // Idle: these move while nothing the server parts show changed.
    ['nothing', connection(), AT, false],
    ['the 24-hour applied sum fell (an old apply left the window)', connection({ realtime: realtime({ ...applied, applied: 2 }) }), AT, false],
    ['deliveries counted', connection({ webhooks: { ...base.webhooks, totalReceived: 9 } }), AT, false],
    ['the next sync time', connection({ nextSyncAt: '2026-12-01T12:00:05.000Z' }), AT, false],
    ['a stopped sync\'s countdown', connection({ stoppedSync: { leftSeconds: 40 } as ConnectionStatusView['stoppedSync'] }), AT, false],
    ['a run going (its end refreshes)', connection({ running: true }), AT, false],
  ] as const)('%s', (_, next, leadChanges, moves) => {
    expect(dashboardChanges([next], leadChanges) !== dashboardChanges([base], AT)).toBe(moves)
  })

  it('does not depend on the order connections are listed in', () => {
    const other = connection({ id: '00000000-0000-4000-8000-000000000002', openConflicts: 0 })
    expect(dashboardChanges([base, other], AT)).toBe(dashboardChanges([other, base], AT))
  })
})

describe('shouldRefresh', () => {
  const idle = statusPayload([base], AT)
  const applyLanded = statusPayload([connection({ realtime: realtime({ ...applied, lastAt: '2026-12-01T11:00:01.000Z' }) })], AT)
  const going = statusPayload([connection({ running: true })], AT)
  it.each([
    ['an idle poll', idle, idle, false],
    ['a webhook apply landed (no run marked running)', idle, applyLanded, true],
    ['a run is going, nothing written yet', idle, going, false],
    ['a run going, still nothing written', going, going, false],
    ['the run ended', going, idle, true],
    ['a run started', idle, { ...going, changes: idle.changes }, false],
  ] as const)('%s', (_, prev, next, expected) => {
    expect(shouldRefresh(prev, next)).toBe(expected)
  })
})

describe('pollDelay: how soon the dashboard asks again', () => {
  it.each([
    // fast, hidden, realtime → ms (null: no poll until the page is shown)
    [false, false, false, 30_000],
    [false, false, true, 5_000],
    [true, false, false, 1_000],
    [true, false, true, 1_000],
    [false, true, true, null],
    [true, true, false, null],
  ] as const)('fast %s, hidden %s, real-time %s → %s', (fast, hidden, realtime, delay) => {
    expect(pollDelay({ fast, hidden, realtime })).toBe(delay)
  })

  it('real-time is on when any connection takes deliveries', () => {
    const off = connection({ webhooks: { ...base.webhooks, enabled: false, state: 'off' } })
    expect(realtimeOnAny({ connections: [] })).toBe(false)
    expect(realtimeOnAny({ connections: [off] })).toBe(false)
    expect(realtimeOnAny({ connections: [off, base] })).toBe(true)
  })
})
