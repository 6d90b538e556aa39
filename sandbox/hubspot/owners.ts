// https://developers.hubspot.com/docs/api/crm/owners — PublicOwner shape.
export interface Owner {
  id: string
  email: string
  firstName: string
  lastName: string
  userId: number | null
  userIdIncludingInactive: number
  type: 'PERSON' | 'QUEUE'
  createdAt: number
  updatedAt: number
  archived: boolean
  teams: Array<{ id: string; name: string; primary: boolean }>
}

export function ownerJson(o: Owner): Record<string, unknown> {
  return {
    id: o.id, email: o.email, type: o.type, firstName: o.firstName, lastName: o.lastName,
    // Deactivated owners report userId null but keep userIdIncludingInactive.
    userId: o.archived ? null : o.userId, userIdIncludingInactive: o.userIdIncludingInactive,
    createdAt: new Date(o.createdAt).toISOString(), updatedAt: new Date(o.updatedAt).toISOString(),
    archived: o.archived, teams: o.teams,
  }
}
