import { z } from 'zod'
import type { HubSpotApi } from './client'
import { parseResponse } from './parse'

const accountSchema = z.object({ portalId: z.union([z.number(), z.string()]).transform(String) })

// https://developers.hubspot.com/docs/api/settings/account-information-api
export async function accountId(api: HubSpotApi): Promise<string> {
  const res = await api.call('general', async (c) => {
    const r = await c.apiRequest({ method: 'GET', path: '/account-info/v3/details' })
    if (!r.ok) throw Object.assign(new Error(`account-info ${r.status}`), { code: r.status, body: await r.text(), headers: {} })
    return r.json()
  })
  return parseResponse(accountSchema, res, 'account info').portalId
}
