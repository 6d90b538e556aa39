import { z } from 'zod'
import type { Sql } from '../store/db'
import { resendDeletedContact } from '../store/links'
import { CrmError } from './errors'

/**
 * A person's "Send to HubSpot again" for a lead HubSpot deleted: the next sync creates it in
 * HubSpot as a new contact. 404 for a lead that is not one HubSpot deleted (a malformed id
 * names none either).
 */
export async function resendLead(sql: Sql, tenantId: string, id: string): Promise<void> {
  const queued = z.uuid().safeParse(id).success ? await resendDeletedContact(sql, tenantId, id) : 0
  if (queued === 0) throw new CrmError('not_found', 'No such lead deleted in HubSpot')
}
