import { describe, expect, it } from 'vitest'
import { disconnectedBody, disconnectedHeading } from './disconnected-text'

describe('disconnectedHeading', () => {
  it.each([
    [[], 'HubSpot is disconnected'],
    [['62515'], 'HubSpot portal 62515 is disconnected'],
    [['62515', '70001'], 'HubSpot portals 62515 and 70001 are disconnected'],
    [['62515', '70001', '80002'], 'HubSpot portals 62515, 70001 and 80002 are disconnected'],
  ])('%j → %s', (portals, expected) => {
    expect(disconnectedHeading(portals)).toBe(expected)
  })
})

describe('disconnectedBody', () => {
  const ONE = 'Its records, settings and sync history are kept. Connect the same portal again to resume syncing where it stopped.'
  it.each([
    [[], ONE],
    [['62515'], ONE],
    [['62515', '70001'], 'Their records, settings and sync history are kept. Connect a portal again to resume its syncing where it stopped.'],
  ])('%j → %s', (portals, expected) => {
    expect(disconnectedBody(portals)).toBe(expected)
  })
})
