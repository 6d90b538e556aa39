// A connection card's heading and the portal line under it. The connect flows label a
// connection "HubSpot 62515" (OAuth), "HubSpot 62515 (Nango)" or "HubSpot (private app)", and
// the line under the heading said "portal 62515 · OAuth" (or "· private app"): the id or the
// method twice, and the id's first mention did not say what it was.
// Now the portal is named once, as what it is, in the heading when the label is one of ours;
// a label someone chose (the CLI's "CLI") stays the heading, with the portal under it.

export interface ConnectionHeading {
  title: string
  /** "HubSpot portal 62515" for the line under the title, or null when the title says it (or no portal is known). */
  portal: string | null
}

export function connectionHeading({ label, portalId }: { label: string | null; portalId: string | null }): ConnectionHeading {
  if (portalId === null) return { title: label ?? 'HubSpot', portal: null }
  const named = `HubSpot portal ${portalId}`
  const ours = label === null || label === `HubSpot ${portalId}` || label === `HubSpot ${portalId} (Nango)` || label === 'HubSpot (private app)'
  if (ours) return { title: named, portal: null }
  return { title: label, portal: label.includes(portalId) ? null : named }
}
