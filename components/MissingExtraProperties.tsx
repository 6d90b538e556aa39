import type { ObjectType } from '@/lib/crm/types'

/**
 * Names the extra properties the CRM no longer has (deleted in HubSpot after they were
 * chosen): HubSpot's reads skip them without an error, so without this their values would
 * stop arriving unnoticed. Found by the daily read of the portal's properties.
 */
export function MissingExtraProperties({ missing }: { missing: Partial<Record<ObjectType, string[]>> }) {
  const entries = Object.entries(missing) as Array<[ObjectType, string[]]>
  if (entries.length === 0) return null
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="missing-extra-properties">
      <p className="font-semibold">HubSpot no longer has some extra properties this connection reads</p>
      <ul className="mt-1 list-disc pl-5">
        {entries.map(([type, names]) => (
          <li key={type}>{type} {names.length === 1 ? 'property' : 'properties'} {names.map((n) => `"${n}"`).join(', ')}</li>
        ))}
      </ul>
      <p className="mt-1">Their values no longer arrive. Take them off the list under Sync settings, or create them again in HubSpot and press Refresh CRM.</p>
    </div>
  )
}
