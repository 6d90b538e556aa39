import { z } from 'zod'
import type { Sql } from '../store/db'
import { deletedContactOnDisconnected, resendDeletedContact } from '../store/links'
import { CrmError } from './errors'
import { connectionDisconnected } from './live-connection'

/**
 * A person's "Send to HubSpot again" for a lead HubSpot deleted: the next sync creates it in
 * HubSpot as a new contact. 404 for a lead that is not one HubSpot deleted (a malformed id
 * names none either); 409 `disconnected`, as every route acting on a disconnected connection
 * answers, when HubSpot deleted it as seen by a connection now disconnected only: nothing can
 * send it until that portal is connected again (then its link says deleted again, and this
 * queues it). It answered 404 "No such lead deleted in HubSpot" for a lead that is one.
 */
export async function resendLead(sql: Sql, tenantId: string, id: string): Promise<void> {
  if (!z.uuid().safeParse(id).success) throw noSuchDeletedLead()
  if ((await resendDeletedContact(sql, tenantId, id)) > 0) return
  if (await deletedContactOnDisconnected(sql, tenantId, id)) throw connectionDisconnected()
  throw noSuchDeletedLead()
}

const noSuchDeletedLead = () => new CrmError('not_found', 'No such lead deleted in HubSpot')
