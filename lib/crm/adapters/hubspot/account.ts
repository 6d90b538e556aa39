import { z } from 'zod'
import type { HubSpotApi } from './client'

const accountSchema = z.object({ portalId: z.union([z.number(), z.string()]).transform(String) })

// https://developers.hubspot.com/docs/api/settings/account-information-api
export async function accountId(api: HubSpotApi): Promise<string> {
  const res = await api.json('general', { method: 'GET', path: '/account-info/v3/details' }, accountSchema, 'account info')
  return res.portalId
}
