import type { Route } from '../router.js'
import type { WebhookService } from '../webhooks/service.js'
import { adminRoutes } from './admin.js'
import { recordRoutes, repRoutes } from './rep.js'
import { uiRoutes } from './ui.js'

/** Control API under `/_sandbox` (not HubSpot's): seeding, rep actions, faults, counters. */
export function controlRoutes(webhooks: WebhookService): Route[] {
  return [...adminRoutes(webhooks), ...repRoutes, ...recordRoutes, ...uiRoutes]
}
