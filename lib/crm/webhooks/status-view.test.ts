import { describe, expect, it } from 'vitest'
import { webhookStatusView } from './status-view'

// webhook-status's `enabled` says what the card says (realtime-state.ts), whatever the stored
// column: a new connection takes deliveries without anyone pressing Turn on.
const stored = { enabled: false, accepting: true, totalReceived: 0, lastReceivedAt: null, pending: 0, failed: 0 }

describe('webhookStatusView', () => {
  it.each([
    ['just connected, never turned on here, none yet', {}, true, { enabled: true, state: 'waiting', turnedOnHere: false }],
    ['just connected, events applied', { totalReceived: 7 }, true, { enabled: true, state: 'on', turnedOnHere: false }],
    ['turned on here', { enabled: true, totalReceived: 7 }, true, { enabled: true, state: 'on', turnedOnHere: true }],
    ['turned off here', { accepting: false, totalReceived: 7 }, true, { enabled: false, state: 'off', turnedOnHere: false }],
    ['no client secret: every delivery refused', { enabled: true }, false, { enabled: false, state: 'not_set_up', turnedOnHere: true }],
  ] as const)('%s', (_, s, verifiable, expected) => {
    expect(webhookStatusView({ ...stored, ...s }, verifiable)).toMatchObject({ ...expected, verifiable })
  })
})
