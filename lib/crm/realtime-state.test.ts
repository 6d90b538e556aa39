import { describe, expect, it } from 'vitest'
import { realtimeOn, realtimeState } from './realtime-state'

const facts = { enabled: false, accepting: true, totalReceived: 0, verifiable: true }

describe("the card's real-time line", () => {
  it.each([
    // Before, this said "not set up" until the first event, though deliveries were on their way.
    ['just connected: takes deliveries, can verify them, none yet', {}, 'waiting'],
    ['turned on here, none yet', { enabled: true }, 'waiting'],
    ['events arrived', { totalReceived: 3 }, 'on'],
    ['turned on here, events arrived', { enabled: true, totalReceived: 3 }, 'on'],
    ['turned off here', { accepting: false, totalReceived: 3 }, 'off'],
    ['turned off here, never received', { accepting: false }, 'off'],
    ['no client secret: every delivery is refused', { verifiable: false }, 'not_set_up'],
    ['no client secret, though turned on and events came before', { verifiable: false, enabled: true, totalReceived: 3 }, 'not_set_up'],
  ] as const)('%s', (_, w, expected) => {
    expect(realtimeState({ ...facts, ...w })).toBe(expected)
    // On (the toggle, and webhook-status's `enabled`) exactly when the line says on.
    expect(realtimeOn({ ...facts, ...w })).toBe(expected === 'on' || expected === 'waiting')
  })
})
