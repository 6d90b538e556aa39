import { describe, expect, it } from 'vitest'
import { runOutcome, stoppedSyncText, triggerText } from './sync-state-text'

describe('a sync whose server stopped, in words', () => {
  it('says it stopped, and when the connection can sync again', () => {
    expect(stoppedSyncText({ sinceRenewedSeconds: 75, leftSeconds: 45 })).toBe(
      'The previous sync stopped without finishing (most likely its server stopped): no progress for 75 s. '
      + 'This connection can sync again in 45 s; Refresh CRM then goes on from where it stopped.')
  })

  it.each([
    [{ status: 'running', interrupted: false }, 'running'],
    [{ status: 'success', interrupted: false }, 'success'],
    [{ status: 'failed', interrupted: false }, 'failed'],
    [{ status: 'failed', interrupted: true }, 'stopped — server stopped mid-run'],
    [{ status: 'partial', interrupted: true }, 'stopped — server stopped mid-run'], // owners synced, contacts stopped
  ] as const)('run history: %o → %s', (point, expected) => {
    expect(runOutcome(point)).toBe(expected)
  })
})

describe('what started a run, in words', () => {
  it.each([
    ['initial', 'first sync'],
    ['manual', 'manual'], // Refresh CRM and Force sync alike
    ['cron', 'scheduled'],
    ['webhook', 'real-time'],
    ['cli', 'npm run sync'],
    ['someday', 'someday'],
  ] as const)('%s → %s', (trigger, expected) => {
    expect(triggerText(trigger)).toBe(expected)
  })
})
