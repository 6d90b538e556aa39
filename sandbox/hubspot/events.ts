import type { ObjectType } from './object-types.js'

/** Who made a change, as webhook `changeSource`/`sourceId` report it. */
export interface WriteSource {
  /** `INTEGRATION` for API writes with a token, `CRM_UI` for a rep's edit in HubSpot. */
  changeSource: string
  sourceId?: string
}

interface Base {
  type: ObjectType
  occurredAt: number
  source: WriteSource
}

/** A change in the portal; webhooks turn these into subscription events. */
export type ChangeEvent =
  | (Base & { kind: 'creation' | 'deletion' | 'restore' | 'privacyDeletion'; id: string })
  | (Base & { kind: 'propertyChange'; id: string; name: string; value: string })
  | (Base & { kind: 'merge'; primaryObjectId: string; mergedObjectIds: string[]; newObjectId: string; numberOfPropertiesMoved: number })
  | (Base & { kind: 'associationChange'; id: string; toType: ObjectType; toId: string; typeId: number; removed: boolean; primary: boolean })

export type ChangeListener = (e: ChangeEvent) => void
