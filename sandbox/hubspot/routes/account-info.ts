import { json } from '../http.js'
import type { Route } from '../router.js'

// https://developers.hubspot.com/docs/api/settings/account-information-api — what an
// integration calls to learn which portal a token belongs to (webhooks carry portalId).
export const accountInfoRoutes: Route[] = [
  {
    method: 'GET', pattern: '/account-info/v3/details', auth: 'token', limit: 'standard',
    handler: (ctx) => json(200, {
      portalId: ctx.sb.portalId,
      accountType: 'STANDARD',
      timeZone: 'US/Eastern',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '-05:00',
      utcOffsetMilliseconds: -18_000_000,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    }),
  },
]
