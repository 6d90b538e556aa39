import type { Route } from '../router.js'
import { objectRoutes } from './objects.js'
import { batchReadRoutes } from './batch-read.js'
import { batchWriteRoutes } from './batch-write.js'
import { searchRoutes } from './search.js'
import { propertyRoutes } from './properties.js'
import { ownerRoutes } from './owners.js'
import { accountInfoRoutes } from './account-info.js'
import { associationRoutes } from './associations-v4.js'
import { oauthRoutes } from '../oauth/routes.js'
import { webhookSettingsRoutes } from '../webhooks/routes.js'

/** Every HubSpot path the sandbox answers; specific patterns before `/:type/:id`. */
export const apiRoutes: Route[] = [
  ...searchRoutes, ...batchReadRoutes, ...batchWriteRoutes, ...objectRoutes,
  ...propertyRoutes, ...ownerRoutes, ...accountInfoRoutes, ...associationRoutes, ...oauthRoutes, ...webhookSettingsRoutes,
]
