import type { Route } from '../router.js'
import { objectRoutes } from './objects.js'
import { batchReadRoutes } from './batch-read.js'
import { batchWriteRoutes } from './batch-write.js'
import { searchRoutes } from './search.js'

/** Every HubSpot path the sandbox answers; specific patterns before `/:type/:id`. */
export const apiRoutes: Route[] = [...searchRoutes, ...batchReadRoutes, ...batchWriteRoutes, ...objectRoutes]
