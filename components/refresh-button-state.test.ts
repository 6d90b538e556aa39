import { describe, expect, it } from 'vitest'
import type { LatestRunView } from '@/lib/crm/status'
import { refreshButtonState } from './refresh-button-state'

const run = (status: LatestRunView['status'], fetched: number) => ({ status, fetched }) as LatestRunView
const connection = (stoppedSync: { sinceRenewedSeconds: number; leftSeconds: number } | null, contact = run('success', 10)) =>
  ({ stoppedSync, objects: { owner: null, company: null, contact, deal: null } })
const STOPPED = { sinceRenewedSeconds: 75, leftSeconds: 45 }
const STOPPED_TITLE = 'The previous sync stopped without finishing (most likely its server stopped): no progress for 75 s. '
  + 'This connection can sync again in 45 s; Refresh CRM then goes on from where it stopped.'

describe('Refresh CRM', () => {
  it.each([
    ['nothing running', false, false, [connection(null)], { running: false, label: 'Refresh CRM', disabled: false }],
    ['no connection', false, false, [], { running: false, label: 'Refresh CRM', disabled: true }],
    ['a sync at work, 250 records fetched', false, true, [connection(null, run('running', 250))], { running: true, label: 'Syncing… 250 records', disabled: true }],
    ['a large backfill: the count grouped', false, true, [connection(null, run('running', 12_345))], { running: true, label: 'Syncing… 12,345 records', disabled: true }],
    ['asked here, before the status says so', true, false, [connection(null)], { running: true, label: 'Syncing…', disabled: true }],
    ['a sync whose server stopped holds the lease', false, false, [connection(STOPPED, run('failed', 250))],
      { running: false, label: 'Refresh CRM', disabled: true, title: STOPPED_TITLE }],
    ['one connection stopped, another at work', false, true, [connection(STOPPED), connection(null, run('running', 5))],
      { running: true, label: 'Syncing… 5 records', disabled: true }],
  ] as const)('%s', (_, busy, running, connections, expected) => {
    expect(refreshButtonState(busy, { running, connections: [...connections] })).toEqual(expected)
  })
})
