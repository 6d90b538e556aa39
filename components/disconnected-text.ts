// What the dashboard says where it said "No CRM connected yet" when the workspace's only
// connections were disconnected: they existed, their records, settings and history are kept,
// and connecting the same portal again revives one (saveConnection). Pure, tested by table.

/** "HubSpot portal 62515 is disconnected"; several: "HubSpot portals 62515 and 70001 are disconnected". */
export function disconnectedHeading(portals: readonly string[]): string {
  if (portals.length === 0) return 'HubSpot is disconnected'
  if (portals.length === 1) return `HubSpot portal ${portals[0]} is disconnected`
  return `HubSpot portals ${portals.slice(0, -1).join(', ')} and ${portals.at(-1)} are disconnected`
}

export function disconnectedBody(portals: readonly string[]): string {
  return portals.length > 1
    ? 'Their records, settings and sync history are kept. Connect a portal again to resume its syncing where it stopped.'
    : 'Its records, settings and sync history are kept. Connect the same portal again to resume syncing where it stopped.'
}
