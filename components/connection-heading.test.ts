import { describe, expect, it } from 'vitest'
import { connectionHeading } from './connection-heading'

describe("a connection card's heading names the portal once", () => {
  it.each([
    ['OAuth: the label the callback writes', 'HubSpot 62515', '62515', { title: 'HubSpot portal 62515', portal: null }],
    ['Nango: its label, the method being on the line below', 'HubSpot 62515 (Nango)', '62515', { title: 'HubSpot portal 62515', portal: null }],
    ['a private-app token from the dashboard: its label, the method being on the line below', 'HubSpot (private app)', '62515', { title: 'HubSpot portal 62515', portal: null }],
    ['no label', null, '62515', { title: 'HubSpot portal 62515', portal: null }],
    ["the CLI's label stays, the portal under it", 'CLI', '62515', { title: 'CLI', portal: 'HubSpot portal 62515' }],
    ['a chosen label that has the id already', 'Acme EU (62515)', '62515', { title: 'Acme EU (62515)', portal: null }],
    ["another portal's auto label is not ours", 'HubSpot 111', '62515', { title: 'HubSpot 111', portal: 'HubSpot portal 62515' }],
    ['no portal known yet', 'HubSpot 62515', null, { title: 'HubSpot 62515', portal: null }],
    ['no portal and no label', null, null, { title: 'HubSpot', portal: null }],
  ] as const)('%s', (_, label, portalId, expected) => {
    expect(connectionHeading({ label, portalId })).toEqual(expected)
  })
})
