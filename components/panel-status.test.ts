import { describe, expect, it } from 'vitest'
import { panelStatus } from './panel-status'

const SYNCED_AT = '2026-12-01T12:00:00.000Z'
const run = (status: 'success' | 'partial' | 'failed' | 'running') => ({ status, startedAt: '2026-12-01T11:59:00.000Z', finishedAt: status === 'running' ? null : SYNCED_AT })
// failed: records still not applied after a failed apply (realtimeActivity's count).
const live = (lastStatus: 'success' | 'partial' | 'failed' | 'running', lastAt: string, failed = lastStatus === 'success' ? 0 : 1) =>
  ({ lastStatus, lastAt, failed })
const LATER = '2026-12-01T12:30:00.000Z'
const EARLIER = '2026-12-01T11:30:00.000Z'

describe("a panel's status icon", () => {
  it.each([
    ['a successful sync, no webhook applies', run('success'), null, 'success'],
    ['never synced, no webhook applies', null, null, 'never'],
    ['a successful sync, then a webhook apply that failed', run('success'), live('failed', LATER), 'failed'],
    ['a successful sync, then a webhook apply that could not write some records', run('success'), live('partial', LATER), 'partial'],
    ['a partial sync, then a webhook apply that failed', run('partial'), live('failed', LATER), 'failed'],
    ['a failed sync, then a webhook apply that failed for some records', run('failed'), live('partial', LATER), 'failed'],
    ['a webhook apply that failed before the last sync', run('success'), live('failed', EARLIER), 'success'],
    ['a successful sync, then webhook applies whose latest went through', run('success'), live('success', LATER), 'success'],
    ['a successful sync, then a drain stopped by its time limit (nothing failed)', run('success'), live('partial', LATER, 0), 'success'],
    ['a successful sync, then a failed apply that a later drain applied', run('success'), live('success', LATER, 0), 'success'],
    ['a successful sync, then an apply that could not write two records, then one that went through: they still fail', run('success'), live('success', LATER, 2), 'partial'],
    ['a failed apply, since applied, while a drain runs', run('success'), live('running', LATER, 0), 'success'],
    ['a sync running while webhook applies fail', run('running'), live('failed', LATER), 'running'],
    ['never synced, only a failed webhook apply', null, live('failed', LATER), 'failed'],
  ] as const)('%s', (_, r, l, expected) => {
    expect(panelStatus(r, l).status).toBe(expected)
  })

  it('says why, on hover, when a webhook apply turned it red', () => {
    expect(panelStatus(run('success'), live('failed', LATER)).label).toBe('Real-time updates failed after the last sync')
    expect(panelStatus(run('success'), null).label).toBeUndefined()
  })
})
